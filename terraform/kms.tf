# One customer-managed KMS key (ADR 0131). The alerts topic always uses it: CloudWatch alarms and
# EventBridge cannot publish to an SNS topic under the AWS-managed aws/sns key, whose key policy
# cannot grant them. With kms_encrypt_data the queues, the data bucket and the log groups use it
# too; otherwise they keep SSE-SQS, SSE-S3 and CloudWatch Logs' own encryption (no KMS requests).
# kms_key_arn brings your own key instead (its key policy must allow what the one below allows).

locals {
  create_kms_key = var.kms_key_arn == null
  kms_key_arn    = local.create_kms_key ? aws_kms_key.main[0].arn : var.kms_key_arn

  # Built from names, not resource references: the key must exist before the log groups.
  log_group_names = {
    trigger       = "/aws/lambda/${local.trigger.function_name}"
    state_machine = "/aws/vendedlogs/states/${var.name_prefix}-pipeline"
    jobs          = "/aws/batch/${var.name_prefix}"
  }
  log_group_arns = [for n in values(local.log_group_names) : "${local.arn_base}:logs:${local.region}:${local.account_id}:log-group:${n}"]
}

data "aws_iam_policy_document" "kms_key" {
  count = local.create_kms_key ? 1 : 0

  statement {
    sid = "AccountAdministersTheKeyThroughIam"
    # AWS's default key-policy statement: without it no IAM policy can grant use of the key and
    # a key without a manager cannot be recovered. The one wildcard action of the module's Allow
    # statements; its principal is the account itself (see ADR 0131).
    actions   = ["kms:*"]
    resources = ["*"] # in a key policy, "*" is this key
    principals {
      type        = "AWS"
      identifiers = ["${local.arn_base}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "AlarmsAndEventsPublishToTheEncryptedTopic"
    # SNS encrypts a message with the publisher's access to the key.
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    }
  }

  dynamic "statement" {
    for_each = var.kms_encrypt_data ? [1] : []
    content {
      sid = "CloudWatchLogsEncryptsThePipelineLogGroups"
      actions = [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:DescribeKey",
      ]
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = ["logs.${local.region}.amazonaws.com"]
      }
      condition {
        test     = "ArnEquals"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = local.log_group_arns
      }
    }
  }
}

resource "aws_kms_key" "main" {
  count = local.create_kms_key ? 1 : 0

  description             = "HSI pipeline (${var.name_prefix}): alerts topic${var.kms_encrypt_data ? ", queues, data bucket and log groups" : ""}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms_key[0].json
}

resource "aws_kms_alias" "main" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.name_prefix}"
  target_key_id = aws_kms_key.main[0].key_id
}

# --- the principals that read or write encrypted queues and objects ------------------------
# Separate inline policies (not statements in iam.tf's documents): they exist only with
# kms_encrypt_data, and KMS is used by S3 and SQS on the caller's behalf (kms:ViaService).

locals {
  kms_data_users = var.kms_encrypt_data ? merge(
    { trigger = aws_iam_role.trigger.id },
    # reads the job outcomes back (aws-sdk:s3:getObject, ADR 0166)
    { "state-machine" = aws_iam_role.state_machine.id },
    { for job in local.jobs : "${job}-job" => aws_iam_role.job[job].id },
  ) : {}
}

data "aws_iam_policy_document" "kms_data" {
  count = var.kms_encrypt_data ? 1 : 0

  statement {
    sid = "UseTheKeyThroughS3AndSqs"
    # Decrypt: receive from an encrypted queue, read an object; GenerateDataKey: send a message,
    # write an object (multipart uploads need both).
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [local.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com", "sqs.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "kms_data" {
  for_each = local.kms_data_users

  name   = "${each.key}-kms"
  role   = each.value
  policy = data.aws_iam_policy_document.kms_data[0].json
}
