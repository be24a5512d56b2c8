# Names in kms.tf (local.log_group_names): the key policy names them before they exist.
# With kms_encrypt_data they are encrypted with the customer-managed key.

resource "aws_cloudwatch_log_group" "trigger" {
  name              = local.log_group_names.trigger
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_encrypt_data ? local.kms_key_arn : null
}

# /aws/vendedlogs/ keeps Step Functions' log delivery from growing the account's
# CloudWatch Logs resource policy (which has a 5 KB limit).
resource "aws_cloudwatch_log_group" "state_machine" {
  name              = local.log_group_names.state_machine
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_encrypt_data ? local.kms_key_arn : null
}

# Both jobs log here; each attempt gets its own stream <job>/<container>/<ECS task id>.
resource "aws_cloudwatch_log_group" "batch" {
  name              = local.log_group_names.jobs
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_encrypt_data ? local.kms_key_arn : null
}
