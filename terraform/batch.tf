# --- network: the account's default VPC, or the VPC and subnets you name --------------------

# The plural data sources answer "none" instead of failing, so the preconditions below can say
# what is missing in words instead of provider errors.
data "aws_vpcs" "default" {
  count = var.vpc_id == null ? 1 : 0
  filter {
    name   = "is-default"
    values = ["true"]
  }
}

data "aws_subnets" "default_vpc" {
  count = var.vpc_id == null ? 1 : 0
  filter {
    name   = "vpc-id"
    values = [local.vpc_id == null ? "none" : local.vpc_id]
  }
}

locals {
  vpc_id     = var.vpc_id != null ? var.vpc_id : try(one(data.aws_vpcs.default[0].ids), null)
  subnet_ids = var.subnet_ids != null ? var.subnet_ids : try(data.aws_subnets.default_vpc[0].ids, [])
}

# Jobs only call AWS APIs over HTTPS (ECR, S3, SQS, CloudWatch Logs); nothing calls them.
resource "aws_security_group" "batch" {
  # A prefix, not a fixed name: a replacement is created before the old group is destroyed
  # (create_before_destroy, also implied by the compute environment that uses it).
  name_prefix = "${var.name_prefix}-batch-jobs-"
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

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = (var.vpc_id == null) == (var.subnet_ids == null)
      error_message = "Set vpc_id and subnet_ids together (or neither, for the default VPC): ${var.vpc_id == null ? "subnet_ids without vpc_id would put the jobs' security group in the default VPC, not the subnets' VPC" : "with vpc_id, name the subnets the jobs run in (subnets with a route to ECR, S3, SQS and CloudWatch Logs; a VPC's subnets are not all suitable)"}."
    }

    precondition {
      condition     = local.vpc_id != null
      error_message = "Region ${local.region} of this account has no default VPC: set vpc_id and subnet_ids (subnets whose route reaches ECR, S3, SQS and CloudWatch Logs)."
    }

    precondition {
      condition     = var.vpc_id != null || length(local.subnet_ids) > 0
      error_message = "The default VPC in ${local.region} has no subnets: set vpc_id and subnet_ids."
    }
  }
}

# --- compute environment and job queue ----------------------------------------------------

# Off by default: without a service_role, Batch uses AWSServiceRoleForBatch and creates it on
# first use, which works in fresh accounts and in accounts that already have it (creating it
# here fails in the latter). Endpoints that need the role to exist first (moto) turn this on.
resource "aws_iam_service_linked_role" "batch" {
  count            = var.create_batch_service_linked_role ? 1 : 0
  aws_service_name = "batch.amazonaws.com"
  description      = "AWS Batch service-linked role (created by the HSI pipeline module)"
}

locals {
  # null = Batch's own service-linked role (AWS-managed permissions).
  batch_service_role_arn = var.create_batch_service_linked_role ? aws_iam_service_linked_role.batch[0].arn : null
}

resource "aws_batch_compute_environment" "main" {
  # A prefix (not a fixed name) so switching compute_type can create the new environment
  # before the old one is destroyed.
  compute_environment_name_prefix = "${var.name_prefix}-${lower(replace(var.compute_type, "_", "-"))}-"
  type                            = "MANAGED"
  state                           = "ENABLED"
  # null = Batch uses (and if needed creates) its own service-linked role.
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
      "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"           = local.batch_timing.runnable_timeout_seconds
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
        var.stac_public_base_url == "" ? [] : [{ name = "STAC_PUBLIC_BASE_URL", value = var.stac_public_base_url }],
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
