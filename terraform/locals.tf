data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  tags = merge({
    Project   = "hsi-pipeline"
    ManagedBy = "terraform"
  }, var.tags)

  # One source of truth shared with the local stack: terraform/queues.json.
  config = jsondecode(file("${path.module}/queues.json"))

  queues = {
    for key, q in local.config.queues : key => {
      name                          = "${var.name_prefix}-${q.name}"
      dlq_name                      = "${var.name_prefix}-${q.dlq_name}"
      max_receive_count             = coalesce(var.max_receive_count, q.max_receive_count)
      visibility_timeout_seconds    = coalesce(var.queue_visibility_timeout_seconds, q.visibility_timeout_seconds)
      message_retention_seconds     = q.message_retention_seconds
      dlq_message_retention_seconds = q.dlq_message_retention_seconds
      max_message_size              = q.max_message_size
      receive_wait_time_seconds     = q.receive_wait_time_seconds
    }
  }

  esm = {
    batch_size                      = coalesce(var.batch_size, local.config.event_source_mapping.batch_size)
    maximum_batching_window_seconds = coalesce(var.maximum_batching_window_seconds, local.config.event_source_mapping.maximum_batching_window_seconds)
    maximum_concurrency             = coalesce(var.maximum_concurrency, local.config.event_source_mapping.maximum_concurrency)
  }

  trigger = {
    function_name              = "${var.name_prefix}-sfn-trigger"
    artifact_path              = coalesce(var.trigger_artifact_path, "${path.module}/../lambdas/sfn-trigger/target/sfn-trigger.jar")
    timeout_seconds            = coalesce(var.trigger_timeout_seconds, local.config.trigger.timeout_seconds)
    memory_mib                 = coalesce(var.trigger_memory_mib, local.config.trigger.memory_mib)
    inline_payload_limit_bytes = coalesce(var.inline_payload_limit_bytes, local.config.trigger.inline_payload_limit_bytes)
    max_concurrency            = coalesce(var.trigger_max_concurrency, local.config.trigger.max_concurrency)
    payload_prefix             = "payloads/"
  }

  data_bucket_name = coalesce(var.data_bucket_name, "${var.name_prefix}-data-${local.account_id}-${local.region}")

  fargate = contains(["FARGATE", "FARGATE_SPOT"], var.compute_type)

  # The job definitions' container properties live once, in batch/<job>/job-definition.json
  # (also read by the local Batch runner). Only deployment facts are added here.
  jobs = toset(["activator", "processor"])

  # The raw files are valid JSON before rendering: their structure (resources, retry, timeout)
  # is known at plan time; only the rendered environment waits for the queue URL.
  job_definition_raw = {
    for job in local.jobs : job => jsondecode(file("${path.module}/../batch/${job}/job-definition.json"))
  }
  job_definition_rendered = {
    for job in local.jobs : job => jsondecode(templatefile("${path.module}/../batch/${job}/job-definition.json", {
      processor_queue_url = aws_sqs_queue.main["processor"].url
      data_bucket         = local.data_bucket_name
    }))
  }
  # Batch timing from queues.json (runnable_timeout_seconds overridable). Each Task state's
  # TimeoutSeconds covers every attempt the job definition's retry strategy allows, each of
  # which may wait in RUNNABLE until the queue cancels it, start, then run until its
  # attemptDurationSeconds; the local stack derives the same numbers (LocalStackAgreementTest).
  batch_timing = {
    runnable_timeout_seconds = coalesce(var.runnable_timeout_seconds, local.config.batch.runnable_timeout_seconds)
    start_allowance_seconds  = local.config.batch.start_allowance_seconds
  }
  task_timeout_seconds = {
    for job, def in local.job_definition_raw : job => def.retryStrategy.attempts * (
      local.batch_timing.runnable_timeout_seconds + local.batch_timing.start_allowance_seconds + def.timeout.attemptDurationSeconds
    )
  }
  # Room for the Choice, the failure record and the Batch API retries (at most 6 x 60 s).
  execution_timeout_seconds = max(values(local.task_timeout_seconds)...) + 900

  job_resources = {
    for job, def in local.job_definition_raw : job => {
      for r in def.containerProperties.resourceRequirements : upper(r.type) => r.value
    }
  }
}
