# --- network: default VPC unless given ---------------------------------------------------

data "aws_vpc" "default" {
  count   = var.vpc_id == null ? 1 : 0
  default = true
}

data "aws_subnets" "selected" {
  count = var.subnet_ids == null ? 1 : 0
  filter {
    name   = "vpc-id"
    values = [local.vpc_id]
  }
}

locals {
  vpc_id     = var.vpc_id != null ? var.vpc_id : data.aws_vpc.default[0].id
  subnet_ids = var.subnet_ids != null ? var.subnet_ids : data.aws_subnets.selected[0].ids
}

# Jobs only call AWS APIs over HTTPS (ECR, S3, SQS, CloudWatch Logs); nothing calls them.
resource "aws_security_group" "batch" {
  name        = "${var.name_prefix}-batch-jobs"
  description = "HSI pipeline Batch jobs: HTTPS egress only, no ingress"
  vpc_id      = local.vpc_id

  # Inline rules: Terraform owns the whole rule set (the default allow-all egress is removed).
  egress {
    description = "HTTPS to AWS service endpoints"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# --- compute environment and job queue ----------------------------------------------------

resource "aws_iam_service_linked_role" "batch" {
  count            = var.create_batch_service_linked_role ? 1 : 0
  aws_service_name = "batch.amazonaws.com"
  description      = "AWS Batch service-linked role (created by the HSI pipeline module)"
}

locals {
  batch_service_role_arn = (var.create_batch_service_linked_role
    ? aws_iam_service_linked_role.batch[0].arn
    : "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch"
  )
}

resource "aws_batch_compute_environment" "main" {
  # A prefix (not a fixed name) so switching compute_type can create the new environment
  # before the old one is destroyed.
  compute_environment_name_prefix = "${var.name_prefix}-${lower(replace(var.compute_type, "_", "-"))}-"
  type                            = "MANAGED"
  state                           = "ENABLED"
  # Batch's own service-linked role (AWS-managed permissions), named explicitly: some
  # AWS-compatible endpoints require a service role.
  service_role = local.batch_service_role_arn

  compute_resources {
    type               = var.compute_type
    max_vcpus          = var.max_vcpus
    subnets            = local.subnet_ids
    security_group_ids = [aws_security_group.batch.id]

    # EC2/SPOT only (Fargate rejects these).
    min_vcpus           = local.fargate ? null : 0
    instance_type       = local.fargate ? null : var.ec2_instance_types
    instance_role       = local.fargate ? null : aws_iam_instance_profile.ecs_instance[0].arn
    allocation_strategy = local.fargate ? null : (var.compute_type == "SPOT" ? "SPOT_PRICE_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE")
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_batch_job_queue" "main" {
  name     = "${var.name_prefix}-jobs"
  state    = "ENABLED"
  priority = 1

  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.main.arn
  }

  # A job that cannot be placed must not block the queue forever: cancel it; the
  # state machine's Catch records the failure and the execution fails visibly.
  dynamic "job_state_time_limit_action" {
    for_each = {
      "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"           = var.runnable_timeout_seconds
      "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE" = 600
      "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT"         = 600
    }
    content {
      action           = "CANCEL"
      state            = "RUNNABLE"
      reason           = job_state_time_limit_action.key
      max_time_seconds = job_state_time_limit_action.value
    }
  }
}

# --- job definitions: batch/<job>/job-definition.json + deployment facts -----------------

resource "aws_batch_job_definition" "job" {
  for_each = local.jobs

  name                  = "${var.name_prefix}-${each.key}"
  type                  = local.job_definition_raw[each.key].type
  platform_capabilities = [local.fargate ? "FARGATE" : "EC2"]
  parameters            = local.job_definition_raw[each.key].parameters
  propagate_tags        = true

  container_properties = jsonencode(merge(
    local.job_definition_rendered[each.key].containerProperties,
    {
      image            = "${aws_ecr_repository.job[each.key].repository_url}:${var.image_tag}"
      executionRoleArn = aws_iam_role.batch_execution.arn
      jobRoleArn       = aws_iam_role.job[each.key].arn
      # The SDK's region chain does not read ECS metadata; tell the job where it runs.
      environment = concat(
        [for e in local.job_definition_rendered[each.key].containerProperties.environment : e if e.name != "AWS_REGION"],
        [{ name = "AWS_REGION", value = local.region }],
      )
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.batch.name
          "awslogs-region"        = local.region
          "awslogs-stream-prefix" = each.key
        }
      }
    },
    local.fargate ? {
      fargatePlatformConfiguration = { platformVersion = "LATEST" }
      networkConfiguration         = { assignPublicIp = var.assign_public_ip ? "ENABLED" : "DISABLED" }
    } : null,
  ))

  retry_strategy {
    attempts = local.job_definition_raw[each.key].retryStrategy.attempts
    dynamic "evaluate_on_exit" {
      for_each = try(local.job_definition_raw[each.key].retryStrategy.evaluateOnExit, [])
      content {
        action           = evaluate_on_exit.value.action
        on_exit_code     = try(evaluate_on_exit.value.onExitCode, null)
        on_reason        = try(evaluate_on_exit.value.onReason, null)
        on_status_reason = try(evaluate_on_exit.value.onStatusReason, null)
      }
    }
  }

  timeout {
    attempt_duration_seconds = local.job_definition_raw[each.key].timeout.attemptDurationSeconds
  }
}
