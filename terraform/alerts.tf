# A deployment that tells you when it fails (ADR 0130). A message leaves its queue as soon as its
# execution starts, so a job that fails later reaches no DLQ: every FAILED, TIMED_OUT or ABORTED
# execution is announced on an encrypted SNS topic by EventBridge, and CloudWatch alarms on the
# queues, the trigger and the state machine go to the same topic. docs/deploy.md says what to do
# for each one.

resource "aws_sns_topic" "alerts" {
  name              = "${var.name_prefix}-alerts"
  display_name      = "HSI pipeline alerts"
  kms_master_key_id = local.kms_key_arn
}

data "aws_iam_policy_document" "alerts_topic" {
  statement {
    sid = "AccountManagesTheTopic"
    actions = [
      "sns:GetTopicAttributes",
      "sns:SetTopicAttributes",
      "sns:AddPermission",
      "sns:RemovePermission",
      "sns:DeleteTopic",
      "sns:Subscribe",
      "sns:ListSubscriptionsByTopic",
      "sns:Publish",
    ]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "AWS"
      identifiers = ["${local.arn_base}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "ExecutionStatusRulePublishes"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.execution_failed.arn]
    }
  }

  statement {
    sid       = "PipelineAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["${local.arn_base}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name_prefix}-*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts_topic.json
}

# Each address receives a confirmation mail first; nothing is delivered until it is confirmed.
resource "aws_sns_topic_subscription" "alert_email" {
  for_each = toset(var.alert_email_addresses)

  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
}

# --- every execution that ends badly, one message each -------------------------------------

resource "aws_cloudwatch_event_rule" "execution_failed" {
  name        = "${var.name_prefix}-execution-failed"
  description = "HSI pipeline executions that FAILED, TIMED_OUT or were ABORTED"
  event_pattern = jsonencode({
    source      = ["aws.states"]
    detail-type = ["Step Functions Execution Status Change"]
    detail = {
      status          = ["FAILED", "TIMED_OUT", "ABORTED"]
      stateMachineArn = [aws_sfn_state_machine.pipeline.arn]
    }
  })
}

resource "aws_cloudwatch_event_target" "execution_failed" {
  rule      = aws_cloudwatch_event_rule.execution_failed.name
  target_id = "alerts-topic"
  arn       = aws_sns_topic.alerts.arn

  # Only fields that never contain quotes go into the text (error and cause may, and would
  # break the JSON string); the console link shows them.
  input_transformer {
    input_paths = {
      execution = "$.detail.executionArn"
      name      = "$.detail.name"
      status    = "$.detail.status"
      time      = "$.time"
    }
    # A JSON string (SNS delivers it as the message text); jsonencode would escape the <...>.
    input_template = format("\"%s\"", join(" ", [
      "HSI pipeline (${var.name_prefix}, ${local.region}): execution <name> ended <status> at <time>.",
      "Console: https://${local.region}.console.aws.amazon.com/states/home?region=${local.region}#/v2/executions/details/<execution>",
      "After fixing the cause: aws stepfunctions redrive-execution --execution-arn <execution>",
      "(runbook: docs/deploy.md, Alarms and notifications).",
    ]))
  }
}

# --- alarms ---------------------------------------------------------------------------------

locals {
  alarm_actions = [aws_sns_topic.alerts.arn]

  # DLQ messages expire after the DLQ's retention; warn at three quarters of it.
  dlq_age_alarm_seconds = { for k, q in local.queues : k => floor(q.dlq_message_retention_seconds * 3 / 4) }

  alarms = merge(
    { for k, q in local.queues : "${k}-dlq-not-empty" => {
      description = "Messages in the ${k} DLQ: they failed ${q.max_receive_count} deliveries (not JSON, or the trigger could not start their execution). Runbook: docs/deploy.md."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      dimensions  = { QueueName = q.dlq_name }
      statistic   = "Maximum"
      threshold   = 0
    } },
    { for k, q in local.queues : "${k}-dlq-messages-expiring" => {
      description = "The oldest message in the ${k} DLQ is ${local.dlq_age_alarm_seconds[k]} s old; SQS deletes it after ${q.dlq_message_retention_seconds} s. Redrive or save it. Runbook: docs/deploy.md."
      namespace   = "AWS/SQS"
      metric      = "ApproximateAgeOfOldestMessage"
      dimensions  = { QueueName = q.dlq_name }
      statistic   = "Maximum"
      threshold   = local.dlq_age_alarm_seconds[k]
    } },
    { for k, q in local.queues : "${k}-queue-stalled" => {
      description = "The oldest message in the ${k} queue waits longer than ${var.queue_age_alarm_seconds} s: the trigger is not starting executions. Runbook: docs/deploy.md."
      namespace   = "AWS/SQS"
      metric      = "ApproximateAgeOfOldestMessage"
      dimensions  = { QueueName = q.name }
      statistic   = "Maximum"
      threshold   = var.queue_age_alarm_seconds
    } },
    {
      "trigger-errors" = {
        description = "The trigger Lambda failed invocations (crash, timeout, out of memory); their records return to the queue. Runbook: docs/deploy.md."
        namespace   = "AWS/Lambda"
        metric      = "Errors"
        dimensions  = { FunctionName = local.trigger.function_name }
        statistic   = "Sum"
        threshold   = 0
      }
      "trigger-throttles" = {
        description = "Trigger invocations were throttled (account concurrency, maximum_concurrency); messages wait and may reach the DLQ. Runbook: docs/deploy.md."
        namespace   = "AWS/Lambda"
        metric      = "Throttles"
        dimensions  = { FunctionName = local.trigger.function_name }
        statistic   = "Sum"
        threshold   = 0
      }
      "executions-failed" = {
        description = "Pipeline executions failed (a job failed, or a message from an unknown queue). Runbook: docs/deploy.md."
        namespace   = "AWS/States"
        metric      = "ExecutionsFailed"
        dimensions  = { StateMachineArn = aws_sfn_state_machine.pipeline.arn }
        statistic   = "Sum"
        threshold   = 0
      }
      "executions-timed-out" = {
        description = "Pipeline executions timed out (a job waited or ran longer than its task timeout). Runbook: docs/deploy.md."
        namespace   = "AWS/States"
        metric      = "ExecutionsTimedOut"
        dimensions  = { StateMachineArn = aws_sfn_state_machine.pipeline.arn }
        statistic   = "Sum"
        threshold   = 0
      }
    },
  )
}

resource "aws_cloudwatch_metric_alarm" "pipeline" {
  for_each = local.alarms

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  # No data means nothing happened (idle queues and functions publish no datapoints).
  treat_missing_data = "notBreaching"
  alarm_actions      = local.alarm_actions
  ok_actions         = local.alarm_actions
}
