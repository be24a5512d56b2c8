# Data bucket: scenes in, STAC items and products out, oversize trigger payloads under payloads/,
# job outcomes under outcomes/.

resource "aws_s3_bucket" "data" {
  bucket        = local.data_bucket_name
  force_destroy = var.force_destroy

  lifecycle {
    precondition {
      condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", local.data_bucket_name))
      error_message = "Data bucket name '${local.data_bucket_name}' is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, dashes): shorten name_prefix or set data_bucket_name."
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      # SSE-S3, or SSE-KMS with the customer-managed key (kms_encrypt_data, kms.tf).
      sse_algorithm     = var.kms_encrypt_data ? "aws:kms" : "AES256"
      kms_master_key_id = var.kms_encrypt_data ? local.kms_key_arn : null
    }
    # With SSE-KMS: one data key per bucket and period instead of a KMS request per object.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  # Payloads only live while their execution may still read them.
  rule {
    id     = "expire-trigger-payloads"
    status = "Enabled"
    filter {
      prefix = local.trigger.payload_prefix
    }
    expiration {
      days = var.payload_expiration_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  # Job outcomes (ADR 0166) are read back by the execution that set their key, right after the
  # job; the execution output keeps them. They live as long as payloads.
  rule {
    id     = "expire-job-outcomes"
    status = "Enabled"
    filter {
      prefix = "outcomes/"
    }
    expiration {
      days = var.payload_expiration_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  # Versioning keeps overwritten catalog documents and products; do not keep them forever.
  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.data]
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = local.data_bucket_policy_json # policies/data-bucket.json (policies.tf): TLS only

  # A bucket policy with a "*" principal is rejected while the public access block is being set up.
  depends_on = [aws_s3_bucket_public_access_block.data]
}
