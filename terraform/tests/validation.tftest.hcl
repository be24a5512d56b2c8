# Inputs that must be rejected, and the non-default compute types.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  trigger_artifact_path = "tests/fixtures/sfn-trigger.jar"
}

run "rejects_enum_and_name_values_aws_would_refuse" {
  command = plan

  variables {
    compute_type  = "LAMBDA"
    sfn_log_level = "DEBUG"
    name_prefix   = "HSI_Pipeline"
  }

  # Each of these validations must fail (not just any of them).
  expect_failures = [var.compute_type, var.sfn_log_level, var.name_prefix]
}

run "rejects_a_trigger_timeout_the_queue_visibility_cannot_cover" {
  command = plan

  variables {
    # 6 x 60 s > the 180 s visibility timeout in queues.json
    trigger_timeout_seconds = 60
  }

  expect_failures = [aws_sqs_queue.main]
}

run "rejects_large_batches_without_a_batching_window" {
  command = plan

  variables {
    batch_size                      = 100
    maximum_batching_window_seconds = 0
  }

  expect_failures = [aws_lambda_event_source_mapping.queue]
}

run "explains_a_missing_trigger_artifact" {
  command = plan

  variables {
    trigger_artifact_path = "tests/fixtures/does-not-exist.jar"
  }

  expect_failures = [aws_lambda_function.trigger]
}

run "variables_override_queues_json" {
  command = apply

  variables {
    max_receive_count       = 7
    trigger_timeout_seconds = 20
    maximum_concurrency     = 5
  }

  assert {
    condition     = alltrue([for q in aws_sqs_queue.main : jsondecode(q.redrive_policy).maxReceiveCount == 7])
    error_message = "max_receive_count overrides queues.json."
  }

  assert {
    condition     = aws_lambda_function.trigger.timeout == 20 && alltrue([for m in aws_lambda_event_source_mapping.queue : one(m.scaling_config).maximum_concurrency == 5])
    error_message = "Trigger and mapping variables override queues.json."
  }
}

run "fargate_spot_uses_fargate_job_definitions" {
  command = apply

  variables {
    compute_type                     = "FARGATE_SPOT"
    create_batch_service_linked_role = true
  }

  assert {
    condition = (
      length(aws_iam_service_linked_role.batch) == 1
      && aws_iam_service_linked_role.batch[0].aws_service_name == "batch.amazonaws.com"
      && aws_batch_compute_environment.main.service_role == aws_iam_service_linked_role.batch[0].arn
    )
    error_message = "With create_batch_service_linked_role = true the module creates the service-linked role and names it as the service role."
  }

  assert {
    condition = (
      one(aws_batch_compute_environment.main.compute_resources).type == "FARGATE_SPOT"
      && alltrue([for d in aws_batch_job_definition.job : d.platform_capabilities == toset(["FARGATE"])])
      && length(aws_iam_instance_profile.ecs_instance) == 0
    )
    error_message = "FARGATE_SPOT runs Fargate job definitions without an instance role."
  }
}

run "given_network_skips_the_default_vpc_lookup" {
  command = plan

  variables {
    vpc_id     = "vpc-0fedcba9876543210"
    subnet_ids = ["subnet-0ccccccccccccccc3"]
  }

  assert {
    condition = (
      length(data.aws_vpcs.default) == 0 && length(data.aws_subnets.default_vpc) == 0
      && aws_security_group.batch.vpc_id == "vpc-0fedcba9876543210"
      && one(aws_batch_compute_environment.main.compute_resources).subnets == toset(["subnet-0ccccccccccccccc3"])
    )
    error_message = "Given vpc_id/subnet_ids are used as is."
  }
}

run "rejects_subnets_without_their_vpc" {
  command = plan

  variables {
    subnet_ids = ["subnet-0ccccccccccccccc3"]
  }

  expect_failures = [aws_security_group.batch]
}

run "rejects_a_vpc_without_the_subnets_to_use" {
  command = plan

  variables {
    vpc_id = "vpc-0fedcba9876543210"
  }

  expect_failures = [aws_security_group.batch]
}

run "explains_an_account_without_a_default_vpc" {
  command = plan

  override_data {
    target = data.aws_vpcs.default[0]
    values = { ids = [] }
  }

  expect_failures = [aws_security_group.batch]
}

run "rejects_fewer_receives_than_aws_recommends_for_lambda" {
  command = plan

  variables {
    max_receive_count = 3
  }

  expect_failures = [var.max_receive_count]
}

run "rejects_an_image_tag_that_is_no_tag" {
  command = plan

  variables {
    image_tag = "v1*"
  }

  expect_failures = [var.image_tag]
}

run "role_names_fit_iam_with_the_longest_prefix" {
  command = plan

  variables {
    name_prefix = "a-thirty-two-character-prefix-xy"
  }

  assert {
    condition     = length(aws_iam_role.batch_execution.name) <= 64 && strcontains(aws_iam_role.batch_execution.name, "-us-east-1-")
    error_message = "Role names must stay within IAM's 64 characters."
  }
}

run "longer_runnable_wait_lengthens_task_and_execution_timeouts" {
  command = apply

  variables {
    runnable_timeout_seconds = 7200
  }

  assert {
    condition = (
      jsondecode(aws_sfn_state_machine.pipeline.definition).States.ProcessorState.TimeoutSeconds == 3 * (7200 + 300 + 3600)
      && jsondecode(aws_sfn_state_machine.pipeline.definition).TimeoutSeconds == 3 * (7200 + 300 + 3600) + 900
      && one([for a in aws_batch_job_queue.main.job_state_time_limit_action : a.max_time_seconds if a.reason == "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"]) == 7200
    )
    error_message = "runnable_timeout_seconds drives the job queue's RUNNABLE limit and the derived timeouts."
  }
}
