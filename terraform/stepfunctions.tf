# The ONE state machine definition (statemachine/pipeline.asl.json), rendered with this
# deployment's ARNs; the local stack renders the same file with its own.

locals {
  state_machine_definition = templatefile("${path.module}/../statemachine/pipeline.asl.json", {
    activator_queue_arn          = aws_sqs_queue.main["activator"].arn
    processor_queue_arn          = aws_sqs_queue.main["processor"].arn
    job_queue_arn                = aws_batch_job_queue.main.arn
    activator_job_definition_arn = aws_batch_job_definition.job["activator"].arn
    processor_job_definition_arn = aws_batch_job_definition.job["processor"].arn
    activator_vcpu               = local.job_resources["activator"]["VCPU"]
    activator_memory_mib         = local.job_resources["activator"]["MEMORY"]
    processor_vcpu               = local.job_resources["processor"]["VCPU"]
    processor_memory_mib         = local.job_resources["processor"]["MEMORY"]
    activator_timeout_seconds    = local.task_timeout_seconds["activator"]
    processor_timeout_seconds    = local.task_timeout_seconds["processor"]
    execution_timeout_seconds    = local.execution_timeout_seconds
    data_bucket                  = aws_s3_bucket.data.bucket
  })
}

resource "aws_sfn_state_machine" "pipeline" {
  name       = "${var.name_prefix}-pipeline"
  type       = "STANDARD" # .sync Batch integration needs a Standard workflow
  role_arn   = aws_iam_role.state_machine.arn
  definition = local.state_machine_definition

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.state_machine.arn}:*"
    include_execution_data = var.sfn_include_execution_data
    level                  = var.sfn_log_level
  }

  tracing_configuration {
    enabled = var.enable_xray_tracing
  }

  # Step Functions checks the role can deliver logs when the machine is created.
  depends_on = [aws_iam_role_policy.state_machine]
}
