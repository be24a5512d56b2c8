# The SQS -> Step Functions trigger. SnapStart snapshots a published version; the event
# source mappings invoke the "live" alias so every apply moves traffic to the new snapshot.

resource "aws_lambda_function" "trigger" {
  function_name    = local.trigger.function_name
  description      = "Starts one pipeline execution per SQS record (partial batch failures)"
  role             = aws_iam_role.trigger.arn
  runtime          = "java21"
  handler          = var.trigger_handler
  filename         = local.trigger.artifact_path
  source_code_hash = fileexists(local.trigger.artifact_path) ? filebase64sha256(local.trigger.artifact_path) : null
  memory_size      = local.trigger.memory_mib
  timeout          = local.trigger.timeout_seconds
  architectures    = ["x86_64"]
  publish          = true

  environment {
    variables = {
      STATE_MACHINE_ARN          = aws_sfn_state_machine.pipeline.arn
      PAYLOAD_BUCKET             = aws_s3_bucket.data.bucket
      PAYLOAD_PREFIX             = local.trigger.payload_prefix
      INLINE_PAYLOAD_LIMIT_BYTES = tostring(local.trigger.inline_payload_limit_bytes)
      MAX_CONCURRENCY            = tostring(local.trigger.max_concurrency)
    }
  }

  dynamic "snap_start" {
    for_each = var.trigger_snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  tracing_config {
    mode = var.enable_xray_tracing ? "Active" : "PassThrough"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.trigger.name
  }

  lifecycle {
    precondition {
      condition     = fileexists(local.trigger.artifact_path)
      error_message = "Trigger artifact ${local.trigger.artifact_path} not found: build it with ./mvnw -B package (or set trigger_artifact_path)."
    }
  }

  # The role's policy must exist before the function first polls or logs.
  depends_on = [aws_iam_role_policy.trigger]
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  description      = "The published (SnapStart) version the queues invoke"
  function_name    = aws_lambda_function.trigger.function_name
  function_version = aws_lambda_function.trigger.version
}

resource "aws_lambda_event_source_mapping" "queue" {
  for_each = aws_sqs_queue.main

  event_source_arn                   = each.value.arn
  function_name                      = aws_lambda_alias.live.arn
  batch_size                         = local.esm.batch_size
  maximum_batching_window_in_seconds = local.esm.maximum_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = local.esm.maximum_concurrency
  }

  lifecycle {
    precondition {
      condition     = local.esm.batch_size <= 10 || local.esm.maximum_batching_window_seconds >= 1
      error_message = "SQS event sources with batch_size > 10 need maximum_batching_window_seconds >= 1."
    }
  }
}
