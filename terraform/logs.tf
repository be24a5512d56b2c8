resource "aws_cloudwatch_log_group" "trigger" {
  name              = "/aws/lambda/${local.trigger.function_name}"
  retention_in_days = var.log_retention_days
}

# /aws/vendedlogs/ keeps Step Functions' log delivery from growing the account's
# CloudWatch Logs resource policy (which has a 5 KB limit).
resource "aws_cloudwatch_log_group" "state_machine" {
  name              = "/aws/vendedlogs/states/${var.name_prefix}-pipeline"
  retention_in_days = var.log_retention_days
}

# Both jobs log here; each attempt gets its own stream <job>/<container>/<ECS task id>.
resource "aws_cloudwatch_log_group" "batch" {
  name              = "/aws/batch/${var.name_prefix}"
  retention_in_days = var.log_retention_days
}
