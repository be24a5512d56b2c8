# A deployment that tells you when it fails: execution notifications, alarms, the encrypted
# topic, the customer-managed key, DLQ redrive permissions, role path and boundary.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  trigger_artifact_path = "tests/fixtures/sfn-trigger.jar"
}

override_resource {
  target = aws_sqs_queue.main["activator"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:hsi-pipeline-activator-queue" }
}

override_resource {
  target = aws_sqs_queue.main["processor"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:hsi-pipeline-processor-queue" }
}

run "failures_and_alarms_reach_one_encrypted_topic" {
  command = apply

  # --- every failed, timed-out or aborted execution of this state machine, one message each

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.execution_failed.event_pattern) == {
      source      = ["aws.states"]
      detail-type = ["Step Functions Execution Status Change"]
      detail = {
        status          = ["FAILED", "TIMED_OUT", "ABORTED"]
        stateMachineArn = [aws_sfn_state_machine.pipeline.arn]
      }
    }
    error_message = "The rule must match exactly this state machine's FAILED, TIMED_OUT and ABORTED executions."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.execution_failed.rule == aws_cloudwatch_event_rule.execution_failed.name
      && aws_cloudwatch_event_target.execution_failed.arn == aws_sns_topic.alerts.arn
    )
    error_message = "The rule must publish to the alerts topic."
  }

  assert {
    # A JSON string (what SNS sends) naming the execution, with the console link and the redrive command.
    condition = (
      can(tostring(jsondecode(one(aws_cloudwatch_event_target.execution_failed.input_transformer).input_template)))
      && strcontains(one(aws_cloudwatch_event_target.execution_failed.input_transformer).input_template, "execution <name> ended <status>")
      && strcontains(one(aws_cloudwatch_event_target.execution_failed.input_transformer).input_template, "#/v2/executions/details/<execution>")
      && strcontains(one(aws_cloudwatch_event_target.execution_failed.input_transformer).input_template, "aws stepfunctions redrive-execution --execution-arn <execution>")
      && one(aws_cloudwatch_event_target.execution_failed.input_transformer).input_paths == tomap({
        execution = "$.detail.executionArn"
        name      = "$.detail.name"
        status    = "$.detail.status"
        time      = "$.time"
      })
    )
    error_message = "The notification must be a JSON string naming the execution and status, linking the console and showing the redrive command."
  }

  # --- the topic is encrypted with the customer-managed key and only the rule and alarms publish

  assert {
    condition = (
      aws_sns_topic.alerts.kms_master_key_id == aws_kms_key.main[0].arn
      && aws_kms_key.main[0].enable_key_rotation
      && output.kms_key_arn == aws_kms_key.main[0].arn
      && output.alerts_topic_arn == aws_sns_topic.alerts.arn
    )
    error_message = "The alerts topic must be encrypted with the module's rotating customer-managed key."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.kms_key[0].statement :
      toset(s.actions) == toset(["kms:GenerateDataKey", "kms:Decrypt"])
      && anytrue([for p in s.principals : p.type == "Service" && p.identifiers == toset(["cloudwatch.amazonaws.com", "events.amazonaws.com"])])
    ])
    error_message = "The key policy must let CloudWatch alarms and EventBridge publish to the encrypted topic."
  }

  assert {
    condition = (
      anytrue([
        for s in data.aws_iam_policy_document.alerts_topic.statement :
        s.actions == toset(["sns:Publish"])
        && anytrue([for p in s.principals : p.identifiers == toset(["events.amazonaws.com"])])
        && anytrue([for c in s.condition : c.test == "ArnEquals" && c.variable == "aws:SourceArn" && tolist(c.values) == tolist([aws_cloudwatch_event_rule.execution_failed.arn])])
      ])
      && anytrue([
        for s in data.aws_iam_policy_document.alerts_topic.statement :
        s.actions == toset(["sns:Publish"])
        && anytrue([for p in s.principals : p.identifiers == toset(["cloudwatch.amazonaws.com"])])
        && anytrue([for c in s.condition : c.variable == "aws:SourceArn" && tolist(c.values) == tolist(["arn:aws:cloudwatch:us-east-1:123456789012:alarm:hsi-pipeline-*"])])
      ])
      && aws_sns_topic_policy.alerts.arn == aws_sns_topic.alerts.arn
    )
    error_message = "The topic policy must let only this rule and this deployment's alarms publish."
  }

  assert {
    condition = alltrue(flatten([
      for doc in [data.aws_iam_policy_document.alerts_topic, data.aws_iam_policy_document.kms_key[0]] : [
        for s in doc.statement : [for a in s.actions : !strcontains(a, "*") || (s.sid == "AccountAdministersTheKeyThroughIam" && a == "kms:*")]
      ]
    ]))
    error_message = "No wildcard action, except kms:* for the account itself in the key policy (ADR 0131)."
  }

  assert {
    condition     = length(aws_sns_topic_subscription.alert_email) == 0
    error_message = "No email subscription unless addresses are given."
  }

  # --- alarms: DLQs, queue age, trigger errors and throttles, failed and timed-out executions

  assert {
    condition = toset(keys(aws_cloudwatch_metric_alarm.pipeline)) == toset([
      "activator-dlq-not-empty", "processor-dlq-not-empty",
      "activator-dlq-messages-expiring", "processor-dlq-messages-expiring",
      "activator-queue-stalled", "processor-queue-stalled",
      "trigger-errors", "trigger-throttles",
      "executions-failed", "executions-timed-out",
    ])
    error_message = "Expected one alarm per DLQ depth, DLQ age, queue age, trigger errors and throttles, and failed and timed-out executions."
  }

  assert {
    condition = alltrue([
      for a in aws_cloudwatch_metric_alarm.pipeline :
      a.alarm_actions == toset([aws_sns_topic.alerts.arn]) && a.ok_actions == toset([aws_sns_topic.alerts.arn])
      && a.treat_missing_data == "notBreaching" && a.comparison_operator == "GreaterThanThreshold"
      && startswith(a.alarm_name, "hsi-pipeline-") && strcontains(a.alarm_description, "docs/deploy.md")
    ])
    error_message = "Every alarm notifies the alerts topic (alarm and OK), treats no data as fine and points at the runbook."
  }

  assert {
    condition = alltrue([
      for k in ["activator", "processor"] :
      aws_cloudwatch_metric_alarm.pipeline["${k}-dlq-not-empty"].dimensions == tomap({ QueueName = aws_sqs_queue.dlq[k].name })
      && aws_cloudwatch_metric_alarm.pipeline["${k}-dlq-not-empty"].metric_name == "ApproximateNumberOfMessagesVisible"
      && aws_cloudwatch_metric_alarm.pipeline["${k}-dlq-not-empty"].threshold == 0
      && aws_cloudwatch_metric_alarm.pipeline["${k}-dlq-messages-expiring"].dimensions == tomap({ QueueName = aws_sqs_queue.dlq[k].name })
      && aws_cloudwatch_metric_alarm.pipeline["${k}-dlq-messages-expiring"].threshold < aws_sqs_queue.dlq[k].message_retention_seconds
      && aws_cloudwatch_metric_alarm.pipeline["${k}-queue-stalled"].dimensions == tomap({ QueueName = aws_sqs_queue.main[k].name })
      && aws_cloudwatch_metric_alarm.pipeline["${k}-queue-stalled"].metric_name == "ApproximateAgeOfOldestMessage"
      && aws_cloudwatch_metric_alarm.pipeline["${k}-queue-stalled"].threshold == 1800
    ])
    error_message = "Queue alarms must watch each DLQ's depth and age (before messages expire) and each queue's oldest message."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.pipeline["trigger-errors"].dimensions == tomap({ FunctionName = aws_lambda_function.trigger.function_name })
      && aws_cloudwatch_metric_alarm.pipeline["trigger-throttles"].metric_name == "Throttles"
      && aws_cloudwatch_metric_alarm.pipeline["executions-failed"].dimensions == tomap({ StateMachineArn = aws_sfn_state_machine.pipeline.arn })
      && aws_cloudwatch_metric_alarm.pipeline["executions-failed"].namespace == "AWS/States"
      && aws_cloudwatch_metric_alarm.pipeline["executions-timed-out"].metric_name == "ExecutionsTimedOut"
    )
    error_message = "Trigger alarms watch the function, execution alarms the state machine."
  }

  # --- only its own queue may use a DLQ

  assert {
    condition = alltrue([
      for k in ["activator", "processor"] :
      aws_sqs_queue_redrive_allow_policy.dlq[k].queue_url == aws_sqs_queue.dlq[k].id
      && jsondecode(aws_sqs_queue_redrive_allow_policy.dlq[k].redrive_allow_policy) == {
        redrivePermission = "byQueue"
        sourceQueueArns   = [aws_sqs_queue.main[k].arn]
      }
    ])
    error_message = "Each DLQ must allow only its own source queue (redrive_allow_policy byQueue)."
  }

  # --- without kms_encrypt_data the data stays on the services' own encryption

  assert {
    condition = (
      alltrue([for q in concat(values(aws_sqs_queue.main), values(aws_sqs_queue.dlq)) : q.sqs_managed_sse_enabled && q.kms_master_key_id == null])
      && one(one(aws_s3_bucket_server_side_encryption_configuration.data.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
      && alltrue([for g in [aws_cloudwatch_log_group.trigger, aws_cloudwatch_log_group.state_machine, aws_cloudwatch_log_group.batch] : g.kms_key_id == null])
      && length(aws_iam_role_policy.kms_data) == 0
    )
    error_message = "By default queues use SSE-SQS, the bucket SSE-S3, the log groups their own encryption, and no role gets KMS access."
  }
}

run "kms_encrypt_data_puts_queues_bucket_and_logs_under_the_key" {
  command = apply

  variables {
    kms_encrypt_data             = true
    alert_email_addresses        = ["ops@example.com", "oncall@example.org"]
    iam_role_path                = "/hsi-pipeline/"
    iam_permissions_boundary_arn = "arn:aws:iam::123456789012:policy/team-boundary"
  }

  assert {
    condition = (
      alltrue([for q in concat(values(aws_sqs_queue.main), values(aws_sqs_queue.dlq)) : q.kms_master_key_id == aws_kms_key.main[0].arn])
      && one(one(aws_s3_bucket_server_side_encryption_configuration.data.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
      && one(one(aws_s3_bucket_server_side_encryption_configuration.data.rule).apply_server_side_encryption_by_default).kms_master_key_id == aws_kms_key.main[0].arn
      && one(aws_s3_bucket_server_side_encryption_configuration.data.rule).bucket_key_enabled
      && alltrue([for g in [aws_cloudwatch_log_group.trigger, aws_cloudwatch_log_group.state_machine, aws_cloudwatch_log_group.batch] : g.kms_key_id == aws_kms_key.main[0].arn])
    )
    error_message = "With kms_encrypt_data the queues, DLQs, bucket (with a bucket key) and log groups use the customer-managed key."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.kms_key[0].statement :
      anytrue([for p in s.principals : p.identifiers == toset(["logs.us-east-1.amazonaws.com"])])
      && anytrue([
        for c in s.condition :
        c.variable == "kms:EncryptionContext:aws:logs:arn"
        && toset(c.values) == toset([for g in [aws_cloudwatch_log_group.trigger, aws_cloudwatch_log_group.state_machine, aws_cloudwatch_log_group.batch] : "arn:aws:logs:us-east-1:123456789012:log-group:${g.name}"])
      ])
    ])
    error_message = "The key policy must let CloudWatch Logs use the key for exactly the pipeline's log groups."
  }

  assert {
    condition = (
      toset(keys(aws_iam_role_policy.kms_data)) == toset(["trigger", "state-machine", "activator-job", "processor-job"])
      && aws_iam_role_policy.kms_data["trigger"].role == aws_iam_role.trigger.id
      && aws_iam_role_policy.kms_data["state-machine"].role == aws_iam_role.state_machine.id
      && aws_iam_role_policy.kms_data["processor-job"].role == aws_iam_role.job["processor"].id
      && alltrue([
        for s in data.aws_iam_policy_document.kms_data[0].statement :
        toset(s.actions) == toset(["kms:Decrypt", "kms:GenerateDataKey"])
        && toset(s.resources) == toset([aws_kms_key.main[0].arn])
        && anytrue([for c in s.condition : c.variable == "kms:ViaService" && toset(c.values) == toset(["s3.us-east-1.amazonaws.com", "sqs.us-east-1.amazonaws.com"])])
      ])
    )
    error_message = "The trigger, the state machine (job outcomes) and the job roles (the principals that read and write queues and objects) may use the key, only through S3 and SQS."
  }

  assert {
    condition     = toset([for s in aws_sns_topic_subscription.alert_email : "${s.protocol}:${s.endpoint}"]) == toset(["email:ops@example.com", "email:oncall@example.org"])
    error_message = "Each alert address gets an email subscription."
  }

  assert {
    condition = alltrue([
      for r in concat([aws_iam_role.trigger, aws_iam_role.state_machine, aws_iam_role.batch_execution], values(aws_iam_role.job)) :
      r.path == "/hsi-pipeline/" && r.permissions_boundary == "arn:aws:iam::123456789012:policy/team-boundary"
    ])
    error_message = "Every role gets iam_role_path and iam_permissions_boundary_arn."
  }
}

run "a_given_key_replaces_the_module_key" {
  command = plan

  variables {
    kms_key_arn      = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    kms_encrypt_data = true
  }

  assert {
    condition = (
      length(aws_kms_key.main) == 0
      && aws_sns_topic.alerts.kms_master_key_id == "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
      && aws_sqs_queue.main["activator"].kms_master_key_id == "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    )
    error_message = "kms_key_arn is used everywhere instead of creating a key."
  }
}

run "rejects_alert_and_iam_inputs_aws_would_refuse" {
  command = plan

  variables {
    alert_email_addresses        = ["not-an-address"]
    kms_key_arn                  = "alias/hsi-pipeline"
    iam_role_path                = "hsi-pipeline"
    iam_permissions_boundary_arn = "team-boundary"
    queue_age_alarm_seconds      = 10
  }

  expect_failures = [
    var.alert_email_addresses,
    var.kms_key_arn,
    var.iam_role_path,
    var.iam_permissions_boundary_arn,
    var.queue_age_alarm_seconds,
  ]
}
