output "queue_urls" {
  description = "URLs of the activator and processor queues."
  value       = { for k, q in aws_sqs_queue.main : k => q.url }
}

output "queue_arns" {
  description = "ARNs of the activator and processor queues."
  value       = { for k, q in aws_sqs_queue.main : k => q.arn }
}

output "dlq_urls" {
  description = "URLs of the dead-letter queues."
  value       = { for k, q in aws_sqs_queue.dlq : k => q.url }
}

output "dlq_arns" {
  description = "ARNs of the dead-letter queues."
  value       = { for k, q in aws_sqs_queue.dlq : k => q.arn }
}

output "state_machine_arn" {
  description = "ARN of the pipeline state machine."
  value       = aws_sfn_state_machine.pipeline.arn
}

output "state_machine_console_url" {
  description = "The state machine's executions in the Step Functions console."
  value       = "https://${local.region}.console.aws.amazon.com/states/home?region=${local.region}#/statemachines/view/${urlencode(aws_sfn_state_machine.pipeline.arn)}"
}

output "ecr_registry" {
  description = "Pass as -Dimage.registry to the Jib build (images land in <registry>/<job>)."
  value       = "${local.account_id}.dkr.ecr.${local.region}.amazonaws.com/${var.name_prefix}"
}

output "ecr_repository_urls" {
  description = "ECR repository URLs of the job images."
  value       = { for k, r in aws_ecr_repository.job : k => r.repository_url }
}

output "job_queue_arn" {
  description = "ARN of the Batch job queue."
  value       = aws_batch_job_queue.main.arn
}

output "job_definition_arns" {
  description = "ARNs (with revision) of the Batch job definitions."
  value       = { for k, d in aws_batch_job_definition.job : k => d.arn }
}

output "data_bucket" {
  description = "Name of the data bucket (scenes, activated/, products/, the STAC catalog: catalog.json and stac/, payloads/)."
  value       = aws_s3_bucket.data.bucket
}

output "trigger_function_name" {
  description = "Name of the trigger Lambda."
  value       = aws_lambda_function.trigger.function_name
}

output "log_groups" {
  description = "CloudWatch log groups of the trigger, the state machine and the jobs."
  value = {
    trigger       = aws_cloudwatch_log_group.trigger.name
    state_machine = aws_cloudwatch_log_group.state_machine.name
    jobs          = aws_cloudwatch_log_group.batch.name
  }
}

output "send_message_commands" {
  description = "Ready-to-paste commands that put a message on each queue."
  value = {
    activator = "aws sqs send-message --region ${local.region} --queue-url ${aws_sqs_queue.main["activator"].url} --message-body '{\"scene\":\"s3://${aws_s3_bucket.data.bucket}/scenes/example.hdr\"}'"
    processor = "aws sqs send-message --region ${local.region} --queue-url ${aws_sqs_queue.main["processor"].url} --message-body '{\"item\":\"s3://${aws_s3_bucket.data.bucket}/stac/scenes/items/example.json\",\"products\":[\"stats\",\"ndi\",\"quicklook\"]}'"
  }
}

output "alerts_topic_arn" {
  description = "SNS topic announcing failed, timed-out and aborted executions and every alarm (subscribe more endpoints to it)."
  value       = aws_sns_topic.alerts.arn
}

output "alarm_names" {
  description = "CloudWatch alarms of the pipeline (docs/deploy.md says what to do for each)."
  value       = sort([for a in aws_cloudwatch_metric_alarm.pipeline : a.alarm_name])
}

output "kms_key_arn" {
  description = "The customer-managed KMS key (created by the module unless kms_key_arn was given)."
  value       = local.kms_key_arn
}
