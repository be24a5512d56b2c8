# Activator and processor queues, each with its own DLQ. Names, redrive, visibility and
# long polling come from queues.json (see locals.tf), the same file the local stack reads.

resource "aws_sqs_queue" "dlq" {
  for_each = local.queues

  name                      = each.value.dlq_name
  message_retention_seconds = each.value.dlq_message_retention_seconds
  max_message_size          = each.value.max_message_size # what the queue can move here
  # SSE-SQS, or the customer-managed key with kms_encrypt_data (kms.tf).
  sqs_managed_sse_enabled = var.kms_encrypt_data ? null : true
  kms_master_key_id       = var.kms_encrypt_data ? local.kms_key_arn : null
}

# Only its own queue may use a DLQ as dead-letter target (and redrive back to it).
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  for_each = local.queues

  queue_url = aws_sqs_queue.dlq[each.key].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.main[each.key].arn]
  })
}

resource "aws_sqs_queue" "main" {
  for_each = local.queues

  name                       = each.value.name
  visibility_timeout_seconds = each.value.visibility_timeout_seconds
  message_retention_seconds  = each.value.message_retention_seconds
  max_message_size           = each.value.max_message_size # queues.json; enforced locally too
  receive_wait_time_seconds  = each.value.receive_wait_time_seconds
  sqs_managed_sse_enabled    = var.kms_encrypt_data ? null : true
  kms_master_key_id          = var.kms_encrypt_data ? local.kms_key_arn : null

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = each.value.max_receive_count
  })

  lifecycle {
    precondition {
      condition     = each.value.max_receive_count >= 5
      error_message = "The ${each.key} queue's max_receive_count (${each.value.max_receive_count}) must be at least 5, AWS's guidance for queues that trigger Lambda (throttled deliveries count as receives)."
    }

    precondition {
      # AWS guidance for SQS event sources: visibility >= 6x the function timeout, so a
      # throttled or retried invocation does not make the message visible again too early.
      condition     = each.value.visibility_timeout_seconds >= 6 * local.trigger.timeout_seconds
      error_message = "The ${each.key} queue's visibility timeout (${each.value.visibility_timeout_seconds}s) must be at least 6x the trigger timeout (${local.trigger.timeout_seconds}s)."
    }
  }
}
