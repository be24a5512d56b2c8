# The principals' policy documents live once, in policies/*.json (ADR 0120): Terraform renders
# them here with this deployment's ARNs, the local stack renders the same files with its own and
# enforces them on every local AWS call. Each document gets only the variables it needs, so a
# policy does not depend on the resource it is attached to (no cycles).

locals {
  policy_base = {
    partition  = local.partition
    region     = local.region
    account_id = local.account_id
  }

  xray_statements = jsondecode(file("${path.module}/policies/xray.json")).Statement

  trigger_policy = jsondecode(templatefile("${path.module}/policies/trigger.json", merge(local.policy_base, {
    activator_queue_arn   = aws_sqs_queue.main["activator"].arn
    processor_queue_arn   = aws_sqs_queue.main["processor"].arn
    state_machine_arn     = aws_sfn_state_machine.pipeline.arn
    state_machine_name    = aws_sfn_state_machine.pipeline.name
    data_bucket_arn       = aws_s3_bucket.data.arn
    payload_prefix        = local.trigger.payload_prefix
    trigger_log_group_arn = aws_cloudwatch_log_group.trigger.arn
  })))

  state_machine_policy = jsondecode(templatefile("${path.module}/policies/state-machine.json", merge(local.policy_base, {
    job_queue_arn                       = aws_batch_job_queue.main.arn
    activator_job_definition_arn_prefix = aws_batch_job_definition.job["activator"].arn_prefix
    processor_job_definition_arn_prefix = aws_batch_job_definition.job["processor"].arn_prefix
    data_bucket_arn                     = aws_s3_bucket.data.arn
  })))

  job_policy = {
    for job in local.jobs : job => jsondecode(templatefile("${path.module}/policies/job-${job}.json", merge(local.policy_base, {
      data_bucket_arn        = aws_s3_bucket.data.arn
      processor_queue_arn    = aws_sqs_queue.main["processor"].arn
      scene_object_arns_json = jsonencode(concat(["${aws_s3_bucket.data.arn}/*"], [for b in var.scene_source_bucket_arns : "${b}/*"]))
      scene_bucket_arns_json = jsonencode(concat([aws_s3_bucket.data.arn], var.scene_source_bucket_arns))
    })))
  }

  data_bucket_policy = jsondecode(templatefile("${path.module}/policies/data-bucket.json", {
    data_bucket_arn = aws_s3_bucket.data.arn
  }))

  # What is attached: the documents above, X-Ray appended where tracing is on. One local each
  # (a shared map would make every policy depend on every attached resource: a cycle).
  trigger_policy_json = jsonencode(merge(local.trigger_policy, {
    Statement = concat(local.trigger_policy.Statement, var.enable_xray_tracing ? local.xray_statements : [])
  }))
  state_machine_policy_json = jsonencode(merge(local.state_machine_policy, {
    Statement = concat(local.state_machine_policy.Statement, var.enable_xray_tracing ? local.xray_statements : [])
  }))
  data_bucket_policy_json = jsonencode(local.data_bucket_policy)
  job_policy_json         = { for job, p in local.job_policy : job => jsonencode(p) }

  # The actions each principal's code calls (checked by tests/iam.tftest.hcl).
  required_actions = jsondecode(file("${path.module}/policies/required-actions.json"))
}
