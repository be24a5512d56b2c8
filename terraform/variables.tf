# Defaults for queues, event source mappings and the trigger live ONLY in queues.json;
# the matching variables default to null and override it when set.

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-east-1"
}

variable "name_prefix" {
  description = "Prefix of every resource name (lower-case letters, digits and dashes)."
  type        = string
  default     = "hsi-pipeline"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-32 characters: lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "tags" {
  description = "Tags applied to every resource (merged over the module's own Project/ManagedBy tags)."
  type        = map(string)
  default     = {}
}

# --- network -------------------------------------------------------------------------------

variable "vpc_id" {
  description = "VPC for the Batch jobs. null = the account's default VPC (and its subnets). Set together with subnet_ids."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Subnets (of vpc_id) the Batch jobs run in; they need a route to ECR, S3, SQS and CloudWatch Logs. null = the default VPC's subnets. Set together with vpc_id."
  type        = list(string)
  default     = null

  validation {
    condition     = var.subnet_ids == null ? true : length(var.subnet_ids) > 0
    error_message = "subnet_ids must be null (use the VPC's subnets) or a non-empty list."
  }
}

variable "assign_public_ip" {
  description = "Give Fargate jobs a public IP. Needed in subnets without a NAT gateway or VPC endpoints (e.g. the default VPC) so jobs can reach ECR, S3, SQS and CloudWatch Logs."
  type        = bool
  default     = true
}

# --- IAM -----------------------------------------------------------------------------------

variable "iam_role_path" {
  description = "Path of every IAM role and instance profile the module creates (e.g. /hsi-pipeline/), for organisations whose policies or SCPs select roles by path."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([!-~]+/)?$", var.iam_role_path)) && length(var.iam_role_path) <= 512
    error_message = "iam_role_path must start and end with '/' and contain only printable ASCII without spaces (at most 512 characters), e.g. \"/\" or \"/hsi-pipeline/\"."
  }
}

variable "iam_permissions_boundary_arn" {
  description = "ARN of a managed policy set as the permissions boundary of every IAM role the module creates. null = none. Some accounts only let you create roles with a boundary."
  type        = string
  default     = null

  validation {
    condition     = var.iam_permissions_boundary_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/.+$", var.iam_permissions_boundary_arn))
    error_message = "iam_permissions_boundary_arn must be an IAM managed policy ARN (arn:aws:iam::<account id>:policy/<name>) or null."
  }
}

# --- SQS -----------------------------------------------------------------------------------

variable "max_receive_count" {
  description = "Receives before a message moves to its queue's DLQ. null = queues.json (5). At least 5, AWS's guidance for Lambda event sources: a throttled invocation also counts as a receive."
  type        = number
  default     = null

  validation {
    condition     = var.max_receive_count == null ? true : (var.max_receive_count >= 5 && var.max_receive_count <= 1000)
    error_message = "max_receive_count must be between 5 and 1000 (AWS recommends at least 5 for SQS queues that trigger Lambda, so throttled deliveries do not reach the DLQ)."
  }
}

variable "queue_visibility_timeout_seconds" {
  description = "Visibility timeout of both queues. null = queues.json. Must be at least 6x the trigger timeout (AWS guidance for SQS event sources)."
  type        = number
  default     = null

  validation {
    condition     = var.queue_visibility_timeout_seconds == null ? true : (var.queue_visibility_timeout_seconds >= 0 && var.queue_visibility_timeout_seconds <= 43200)
    error_message = "queue_visibility_timeout_seconds must be between 0 and 43200."
  }
}

# --- Lambda trigger ------------------------------------------------------------------------

variable "trigger_artifact_path" {
  description = "Path of the trigger Lambda jar. null = ../lambdas/sfn-trigger/target/sfn-trigger.jar (built by ./mvnw -B package)."
  type        = string
  default     = null
}

variable "trigger_handler" {
  description = "Handler of the trigger Lambda."
  type        = string
  default     = "dev.hsipipeline.trigger.SfnTriggerHandler::handleRequest"
}

variable "trigger_memory_mib" {
  description = "Memory of the trigger Lambda in MiB. null = queues.json."
  type        = number
  default     = null

  validation {
    condition     = var.trigger_memory_mib == null ? true : (var.trigger_memory_mib >= 128 && var.trigger_memory_mib <= 10240)
    error_message = "trigger_memory_mib must be between 128 and 10240."
  }
}

variable "trigger_timeout_seconds" {
  description = "Timeout of the trigger Lambda in seconds. null = queues.json."
  type        = number
  default     = null

  validation {
    condition     = var.trigger_timeout_seconds == null ? true : (var.trigger_timeout_seconds >= 1 && var.trigger_timeout_seconds <= 900)
    error_message = "trigger_timeout_seconds must be between 1 and 900."
  }
}

variable "trigger_snap_start" {
  description = "Enable Lambda SnapStart on published versions of the trigger (the event source mappings invoke the 'live' alias)."
  type        = bool
  default     = true
}

variable "inline_payload_limit_bytes" {
  description = "Message bodies longer than this as escaped JSON go to S3 (payloads/) and are passed by URI. null = queues.json. At most 6144: an inline body is the job's command, inside ECS's 8192-character container overrides."
  type        = number
  default     = null

  validation {
    condition     = var.inline_payload_limit_bytes == null ? true : (var.inline_payload_limit_bytes >= 0 && var.inline_payload_limit_bytes <= 6144)
    error_message = "inline_payload_limit_bytes must be between 0 and 6144: an inline body travels in the job's command, and ECS caps container overrides (escaped JSON, with the PIPELINE_* and AWS_BATCH_* variables) at 8192 characters."
  }
}

variable "trigger_max_concurrency" {
  description = "StartExecution calls one trigger invocation makes in parallel. null = queues.json."
  type        = number
  default     = null

  validation {
    condition     = var.trigger_max_concurrency == null ? true : (var.trigger_max_concurrency >= 1 && var.trigger_max_concurrency <= 256)
    error_message = "trigger_max_concurrency must be between 1 and 256."
  }
}

variable "batch_size" {
  description = "Records per trigger invocation (SQS event source mapping). null = queues.json."
  type        = number
  default     = null

  validation {
    condition     = var.batch_size == null ? true : (var.batch_size >= 1 && var.batch_size <= 10000)
    error_message = "batch_size must be between 1 and 10000."
  }
}

variable "maximum_batching_window_seconds" {
  description = "How long the event source mapping gathers records before invoking. null = queues.json. Must be >= 1 when batch_size > 10."
  type        = number
  default     = null

  validation {
    condition     = var.maximum_batching_window_seconds == null ? true : (var.maximum_batching_window_seconds >= 0 && var.maximum_batching_window_seconds <= 300)
    error_message = "maximum_batching_window_seconds must be between 0 and 300."
  }
}

variable "maximum_concurrency" {
  description = "Maximum concurrent trigger invocations per event source mapping (scaling_config). null = queues.json."
  type        = number
  default     = null

  validation {
    condition     = var.maximum_concurrency == null ? true : (var.maximum_concurrency >= 2 && var.maximum_concurrency <= 1000)
    error_message = "maximum_concurrency must be between 2 and 1000 (AWS limits for SQS event sources)."
  }
}

# --- Step Functions ------------------------------------------------------------------------

variable "sfn_log_level" {
  description = "Step Functions execution log level."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["ALL", "ERROR", "FATAL", "OFF"], var.sfn_log_level)
    error_message = "sfn_log_level must be one of ALL, ERROR, FATAL, OFF."
  }
}

variable "sfn_include_execution_data" {
  description = "Include execution input/output in Step Functions logs (may contain message bodies)."
  type        = bool
  default     = true
}

variable "enable_xray_tracing" {
  description = "Enable AWS X-Ray tracing for the state machine and the trigger Lambda."
  type        = bool
  default     = false
}

# --- Batch ---------------------------------------------------------------------------------

variable "compute_type" {
  description = "Batch compute environment type."
  type        = string
  default     = "FARGATE"

  validation {
    condition     = contains(["FARGATE", "FARGATE_SPOT", "EC2", "SPOT"], var.compute_type)
    error_message = "compute_type must be one of FARGATE, FARGATE_SPOT, EC2, SPOT."
  }
}

variable "max_vcpus" {
  description = "Maximum vCPUs the compute environment runs at once (caps cost and concurrency)."
  type        = number
  default     = 16

  validation {
    condition     = var.max_vcpus >= 1 && var.max_vcpus <= 10000
    error_message = "max_vcpus must be between 1 and 10000."
  }
}

variable "ec2_instance_types" {
  description = "Instance types for EC2/SPOT compute environments (ignored on Fargate)."
  type        = list(string)
  default     = ["optimal"]
}

variable "create_batch_service_linked_role" {
  description = "Create Batch's service-linked role AWSServiceRoleForBatch here and name it as the compute environment's service role. false (default): Batch uses the role and creates it on first use, in fresh accounts and in accounts that already have it (where creating it would fail). true only for endpoints that need the role to exist beforehand (e.g. moto)."
  type        = bool
  default     = false
}

variable "runnable_timeout_seconds" {
  description = "Jobs stuck in RUNNABLE this long (e.g. no capacity fits them) are cancelled by the job queue. null = queues.json (3600). The state machine's task timeouts grow with it."
  type        = number
  default     = null

  validation {
    condition     = var.runnable_timeout_seconds == null ? true : (var.runnable_timeout_seconds >= 600 && var.runnable_timeout_seconds <= 86400)
    error_message = "runnable_timeout_seconds must be between 600 and 86400 (AWS Batch limits)."
  }
}

variable "image_tag" {
  description = "Tag of the activator and processor images in ECR. The ECR lifecycle policy never expires the image holding this tag."
  type        = string
  default     = "latest"

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a Docker image tag: 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'."
  }
}

variable "ecr_image_tag_mutability" {
  description = "ECR tag mutability. IMMUTABLE is safer once you push versioned tags."
  type        = string
  default     = "MUTABLE"

  validation {
    condition     = contains(["MUTABLE", "IMMUTABLE"], var.ecr_image_tag_mutability)
    error_message = "ecr_image_tag_mutability must be MUTABLE or IMMUTABLE."
  }
}

variable "ecr_keep_images" {
  description = "Images each ECR repository keeps; older ones expire."
  type        = number
  default     = 10

  validation {
    condition     = var.ecr_keep_images >= 1
    error_message = "ecr_keep_images must be at least 1."
  }
}

# --- S3, logs, teardown --------------------------------------------------------------------

variable "data_bucket_name" {
  description = "Name of the data bucket. null = <name_prefix>-data-<account id>-<region>."
  type        = string
  default     = null
}

variable "scene_source_bucket_arns" {
  description = "ARNs of extra buckets the jobs may read scenes from (read-only). The data bucket is always readable."
  type        = list(string)
  default     = []
}

variable "payload_expiration_days" {
  description = "Days after which oversize trigger payloads under payloads/ and job outcomes under outcomes/ expire."
  type        = number
  default     = 14

  validation {
    condition     = var.payload_expiration_days >= 1
    error_message = "payload_expiration_days must be at least 1."
  }
}

variable "stac_public_base_url" {
  description = "Public HTTP(S) URL at which the data bucket is served (e.g. a CloudFront distribution), without a trailing slash. When set, the STAC catalog's self links and asset hrefs are absolute URLs under it (ADR 0161); when empty they are relative, with s3:// self links."
  type        = string
  default     = ""

  validation {
    condition     = var.stac_public_base_url == "" || can(regex("^https?://[^/\\s]+(/[^\\s]*[^/\\s])?$", var.stac_public_base_url))
    error_message = "stac_public_base_url must be empty or an http(s) URL without whitespace and without a trailing slash, e.g. https://data.example.org/hsi."
  }
}

variable "log_retention_days" {
  description = "Retention of the Lambda, Step Functions and Batch log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy delete a non-empty data bucket and ECR repositories with images."
  type        = bool
  default     = false
}

# --- alerts and encryption (alerts.tf, kms.tf) ----------------------------------------------

variable "alert_email_addresses" {
  description = "Email addresses subscribed to the alerts topic (failed, timed-out and aborted executions; alarms). Each address must confirm the subscription mail AWS sends. [] = none (subscribe other endpoints to the alerts_topic_arn output)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alert_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", a))])
    error_message = "alert_email_addresses must be email addresses (name@example.com)."
  }
}

variable "queue_age_alarm_seconds" {
  description = "Alarm when the oldest message in the activator or processor queue is older than this: the trigger is not starting executions. The default lets a message that keeps failing use its max_receive_count deliveries (5 x 180 s visibility) first."
  type        = number
  default     = 1800

  validation {
    condition     = var.queue_age_alarm_seconds >= 60
    error_message = "queue_age_alarm_seconds must be at least 60."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key to use instead of the one the module creates (alerts topic; with kms_encrypt_data also queues, bucket and logs). Its key policy must allow what kms.tf's key policy allows (docs/deploy.md). null = the module creates one key with rotation."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account id>:key/<key id>), not an alias, or null."
  }
}

variable "kms_encrypt_data" {
  description = "Encrypt the queues, the data bucket and the log groups with the customer-managed key too (default: SSE-SQS, SSE-S3 and CloudWatch Logs' own encryption, which need no KMS requests). The alerts topic always uses the key."
  type        = bool
  default     = false
}
