# One role per principal, each with an inline least-privilege policy.
# Rules: no wildcard action anywhere in an Allow; "*" as resource only where the action has
# no resource-level permissions. tests/iam.tftest.hcl checks this.
# The policies of the principals the local stack runs (trigger, state machine, jobs) are
# templates in policies/*.json, rendered in policies.tf and enforced locally from the same files
# (ADR 0120). The ECS agent roles below have no local caller and stay here.
# IAM names are global to the account: role and instance profile names carry the region so the
# module can be applied in two regions of one account. Every role gets iam_role_path and
# iam_permissions_boundary_arn.

locals {
  arn_base = "arn:${local.partition}"

  iam_name_prefix = "${var.name_prefix}-${local.region}"

  trusted_services = {
    trigger       = "lambda.amazonaws.com"
    state_machine = "states.amazonaws.com"
    execution     = "ecs-tasks.amazonaws.com"
    job           = "ecs-tasks.amazonaws.com"
  }
  # aws:SourceAccount keeps other accounts' use of the service out (confused deputy) where the
  # service documents that it sets the key when assuming the role.
  source_account_condition = toset(["state_machine", "execution", "job"])

  xray_actions = flatten([for s in local.xray_statements : s.Action])
}

data "aws_iam_policy_document" "assume" {
  for_each = local.trusted_services

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [each.value]
    }
    dynamic "condition" {
      for_each = contains(local.source_account_condition, each.key) ? [local.account_id] : []
      content {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [condition.value]
      }
    }
  }
}

# --- trigger Lambda ---------------------------------------------------------------------

resource "aws_iam_role" "trigger" {
  name                 = "${local.iam_name_prefix}-trigger"
  path                 = var.iam_role_path
  permissions_boundary = var.iam_permissions_boundary_arn
  description          = "SQS -> Step Functions trigger Lambda"
  assume_role_policy   = data.aws_iam_policy_document.assume["trigger"].json
}

resource "aws_iam_role_policy" "trigger" {
  name   = "trigger"
  role   = aws_iam_role.trigger.id
  policy = local.trigger_policy_json # policies/trigger.json (policies.tf)
}

# --- Step Functions ---------------------------------------------------------------------

resource "aws_iam_role" "state_machine" {
  name                 = "${local.iam_name_prefix}-state-machine"
  path                 = var.iam_role_path
  permissions_boundary = var.iam_permissions_boundary_arn
  description          = "HSI pipeline state machine: submits and watches Batch jobs"
  assume_role_policy   = data.aws_iam_policy_document.assume["state_machine"].json
}

resource "aws_iam_role_policy" "state_machine" {
  name   = "state-machine"
  role   = aws_iam_role.state_machine.id
  policy = local.state_machine_policy_json # policies/state-machine.json (policies.tf)
}

# --- Batch: execution role (pull image, ship logs) --------------------------------------

resource "aws_iam_role" "batch_execution" {
  name                 = "${local.iam_name_prefix}-batch-execution"
  path                 = var.iam_role_path
  permissions_boundary = var.iam_permissions_boundary_arn
  description          = "ECS/Fargate agent for the HSI pipeline jobs: image pull and logs"
  assume_role_policy   = data.aws_iam_policy_document.assume["execution"].json

  lifecycle {
    precondition {
      # The longest role name the module makes; IAM allows 64 characters.
      condition     = length("${local.iam_name_prefix}-batch-execution") <= 64
      error_message = "IAM role names are <name_prefix>-<region>-<role> and at most 64 characters: shorten name_prefix (${length("${local.iam_name_prefix}-batch-execution")} characters now)."
    }
  }
}

data "aws_iam_policy_document" "batch_execution" {
  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    # GetAuthorizationToken has no resource-level permissions.
    resources = ["*"]
  }

  statement {
    sid       = "PullJobImages"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [for r in aws_ecr_repository.job : r.arn]
  }

  statement {
    sid       = "ShipJobLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.batch.arn}:*"]
  }
}

resource "aws_iam_role_policy" "batch_execution" {
  name   = "batch-execution"
  role   = aws_iam_role.batch_execution.id
  policy = data.aws_iam_policy_document.batch_execution.json
}

# --- Batch: one job role per job --------------------------------------------------------

resource "aws_iam_role" "job" {
  for_each = local.jobs

  name                 = "${local.iam_name_prefix}-${each.key}-job"
  path                 = var.iam_role_path
  permissions_boundary = var.iam_permissions_boundary_arn
  description          = "The ${each.key} job's own AWS calls"
  assume_role_policy   = data.aws_iam_policy_document.assume["job"].json
}

resource "aws_iam_role_policy" "job" {
  for_each = local.jobs

  name   = "${each.key}-job"
  role   = aws_iam_role.job[each.key].id
  policy = local.job_policy_json[each.key] # policies/job-<job>.json (policies.tf)
}

# --- EC2/SPOT only: the ECS container instance role -------------------------------------

data "aws_iam_policy_document" "assume_ec2" {
  count = local.fargate ? 0 : 1

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "ecs_instance" {
  count = local.fargate ? 0 : 1

  name                 = "${local.iam_name_prefix}-ecs-instance"
  path                 = var.iam_role_path
  permissions_boundary = var.iam_permissions_boundary_arn
  description          = "ECS agent on the HSI pipeline's Batch EC2 instances"
  assume_role_policy   = data.aws_iam_policy_document.assume_ec2[0].json
}

# The managed AmazonEC2ContainerServiceforEC2Role uses "ecs:Submit*"; this spells it out.
# Image pull and logs go through the execution role.
data "aws_iam_policy_document" "ecs_instance" {
  count = local.fargate ? 0 : 1

  statement {
    sid = "EcsAgent"
    actions = [
      "ecs:RegisterContainerInstance",
      "ecs:DeregisterContainerInstance",
      "ecs:Poll",
      "ecs:StartTelemetrySession",
      "ecs:UpdateContainerInstancesState",
      "ecs:SubmitAttachmentStateChanges",
      "ecs:SubmitContainerStateChange",
      "ecs:SubmitTaskStateChange",
    ]
    # Batch names the ECS cluster itself (<compute environment>_Batch_<uuid>).
    resources = [
      "${local.arn_base}:ecs:${local.region}:${local.account_id}:cluster/*",
      "${local.arn_base}:ecs:${local.region}:${local.account_id}:container-instance/*",
    ]
  }

  statement {
    sid     = "EcsAgentDiscovery"
    actions = ["ecs:DiscoverPollEndpoint", "ec2:DescribeTags"]
    # Neither action has resource-level permissions.
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "ecs_instance" {
  count = local.fargate ? 0 : 1

  name   = "ecs-instance"
  role   = aws_iam_role.ecs_instance[0].id
  policy = data.aws_iam_policy_document.ecs_instance[0].json
}

resource "aws_iam_instance_profile" "ecs_instance" {
  count = local.fargate ? 0 : 1

  name = "${local.iam_name_prefix}-ecs-instance"
  path = var.iam_role_path
  role = aws_iam_role.ecs_instance[0].name
}
