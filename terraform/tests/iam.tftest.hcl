# Least privilege: no wildcard action in any Allow, "*" resources only where AWS has no
# resource-level permissions, each principal gets only its own accesses, and every action its
# code calls (policies/required-actions.json) is granted.
# The trigger, state machine, job and bucket policies are the rendered policies/*.json documents
# attached to the roles (read back with jsondecode: the same JSON AWS receives). The ECS agent
# roles and the trust policies are aws_iam_policy_document data sources, which the mocked
# provider cannot render, so those checks read the statements the module gives them.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  trigger_artifact_path = "tests/fixtures/sfn-trigger.jar"
  # Turn on every optional statement so all of them are checked.
  enable_xray_tracing = true
  compute_type        = "SPOT"
}

override_resource {
  target = aws_sqs_queue.main["activator"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:hsi-pipeline-activator-queue" }
}

override_resource {
  target = aws_sqs_queue.main["processor"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:hsi-pipeline-processor-queue" }
}

override_resource {
  target = aws_sfn_state_machine.pipeline
  values = { arn = "arn:aws:states:us-east-1:123456789012:stateMachine:hsi-pipeline-pipeline" }
}

# One apply: every run block costs a provider start, which is slow on small CI machines.
run "policies_are_least_privilege" {
  command = apply

  # --- no policy allows a wildcard action

  assert {
    condition = alltrue(flatten([
      for doc in concat(
        [jsondecode(aws_iam_role_policy.trigger.policy), jsondecode(aws_iam_role_policy.state_machine.policy)],
        [for p in values(aws_iam_role_policy.job) : jsondecode(p.policy)],
        ) : [
        for s in doc.Statement : [for a in s.Action : !strcontains(a, "*")] if s.Effect == "Allow"
      ]
    ]))
    error_message = "An Allow statement in policies/*.json uses a wildcard action."
  }

  assert {
    condition = alltrue(flatten([
      for doc in concat(
        [
          data.aws_iam_policy_document.batch_execution,
          data.aws_iam_policy_document.assume_ec2[0],
          data.aws_iam_policy_document.ecs_instance[0],
        ],
        values(data.aws_iam_policy_document.assume),
        ) : [
        for s in doc.statement : [
          for a in s.actions : !strcontains(a, "*")
        ] if coalesce(s.effect, "Allow") == "Allow"
      ]
    ]))
    error_message = "An Allow statement uses a wildcard action."
  }

  assert {
    condition = alltrue(flatten([
      for doc in concat(
        [
          jsondecode(aws_iam_role_policy.trigger.policy),
          jsondecode(aws_iam_role_policy.state_machine.policy),
          jsondecode(aws_s3_bucket_policy.data.policy),
        ],
        [for p in values(aws_iam_role_policy.job) : jsondecode(p.policy)],
        ) : [
        for s in doc.Statement : !can(s.NotAction) && !can(s.NotResource)
      ]
      ])) && alltrue(flatten([
      for doc in [data.aws_iam_policy_document.batch_execution, data.aws_iam_policy_document.ecs_instance[0]] : [
        for s in doc.statement : length(coalesce(s.not_actions, [])) == 0 && length(coalesce(s.not_resources, [])) == 0
      ]
    ]))
    error_message = "NotAction/NotResource widen a statement to nearly everything; none may be used."
  }

  assert {
    # The only wildcard action at all is the data bucket's TLS Deny.
    condition = alltrue([
      for s in jsondecode(aws_s3_bucket_policy.data.policy).Statement :
      s.Effect == "Deny" && s.Sid == "DenyInsecureTransport" if anytrue([for a in s.Action : strcontains(a, "*")])
    ])
    error_message = "A wildcard action may only appear in the bucket's TLS Deny."
  }

  # --- wildcard resources only where aws has no narrower scope

  assert {
    condition = alltrue(flatten([
      for doc in concat(
        [jsondecode(aws_iam_role_policy.trigger.policy), jsondecode(aws_iam_role_policy.state_machine.policy)],
        [for p in values(aws_iam_role_policy.job) : jsondecode(p.policy)],
        ) : [
        for s in doc.Statement : contains(["XRay", "WatchJobs", "LogDelivery"], s.Sid) if contains(s.Resource, "*")
      ]
      ])) && alltrue(flatten([
      for doc in [data.aws_iam_policy_document.batch_execution, data.aws_iam_policy_document.ecs_instance[0]] : [
        for s in doc.statement : contains(["EcrLogin", "EcsAgentDiscovery"], s.sid) if contains(s.resources, "*")
      ]
    ]))
    error_message = "A statement outside the documented exceptions (X-Ray, batch:DescribeJobs, log delivery, ecr:GetAuthorizationToken, ECS agent discovery) uses resource \"*\"."
  }

  assert {
    condition = alltrue(flatten([
      for doc in [jsondecode(aws_iam_role_policy.trigger.policy), jsondecode(aws_iam_role_policy.state_machine.policy)] : [
        for s in doc.Statement : toset(s.Action) == toset(local.xray_actions) if s.Sid == "XRay"
      ]
    ])) && length([for s in jsondecode(aws_iam_role_policy.trigger.policy).Statement : s if s.Sid == "XRay"]) == 1
    error_message = "With tracing on, the trigger and the state machine get exactly the X-Ray trace/sampling actions (policies/xray.json)."
  }

  # --- every action the code calls is granted (policies/required-actions.json)

  assert {
    condition = alltrue(flatten([
      for principal, doc in merge(
        {
          "trigger"       = jsondecode(aws_iam_role_policy.trigger.policy)
          "state-machine" = jsondecode(aws_iam_role_policy.state_machine.policy)
        },
        { for job, p in aws_iam_role_policy.job : "job-${job}" => jsondecode(p.policy) },
        ) : [
        for a in local.required_actions[principal] :
        anytrue([for s in doc.Statement : s.Effect == "Allow" && contains(s.Action, a)])
      ]
    ]))
    error_message = "A principal's policy does not grant an action its code calls (policies/required-actions.json)."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_iam_role_policy.trigger.policy).Statement :
      s.Action == ["states:DescribeExecution"]
      && s.Resource == ["arn:aws:states:us-east-1:123456789012:execution:${aws_sfn_state_machine.pipeline.name}:*"]
    ])
    error_message = "The trigger may describe the executions of this state machine only (a redelivered message's ExecutionAlreadyExists path)."
  }

  # --- each principal gets only its own access

  assert {
    condition = anytrue([
      for s in jsondecode(aws_iam_role_policy.trigger.policy).Statement :
      s.Action == ["states:StartExecution"] && s.Resource == [aws_sfn_state_machine.pipeline.arn]
    ])
    error_message = "The trigger may start this state machine only."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_iam_role_policy.trigger.policy).Statement :
      toset(s.Action) == toset(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"])
      && toset(s.Resource) == toset([aws_sqs_queue.main["activator"].arn, aws_sqs_queue.main["processor"].arn])
    ])
    error_message = "The trigger consumes exactly its two queues."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_iam_role_policy.trigger.policy).Statement :
      s.Action == ["s3:PutObject"] && s.Resource == ["${aws_s3_bucket.data.arn}/payloads/*"]
    ])
    error_message = "The trigger may only put objects under payloads/."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_iam_role_policy.state_machine.policy).Statement :
      s.Action == ["batch:SubmitJob"]
      && contains(s.Resource, aws_batch_job_queue.main.arn)
      && alltrue([for d in aws_batch_job_definition.job : contains(s.Resource, "${d.arn_prefix}:*")])
      && length(s.Resource) == 5
    ])
    error_message = "The state machine may submit to this queue with the two job definitions only."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_iam_role_policy.state_machine.policy).Statement :
      toset(s.Action) == toset(["events:PutTargets", "events:PutRule", "events:DescribeRule"])
      && s.Resource == ["arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForBatchJobsRule"]
    ])
    error_message = "The state machine's EventBridge access is limited to the .sync integration's managed rule."
  }

  assert {
    condition = (
      anytrue([
        for s in jsondecode(aws_iam_role_policy.job["activator"].policy).Statement :
        s.Action == ["sqs:SendMessage"] && s.Resource == [aws_sqs_queue.main["processor"].arn]
      ])
      && !anytrue(flatten([
        for s in jsondecode(aws_iam_role_policy.job["processor"].policy).Statement : [for a in s.Action : startswith(a, "sqs:")]
      ]))
    )
    error_message = "Only the activator may send, and only to the processor queue."
  }

  assert {
    condition = (
      toset(flatten([
        for s in jsondecode(aws_iam_role_policy.job["activator"].policy).Statement :
        s.Resource if contains(s.Action, "s3:PutObject")
        ])) == toset([
        "${aws_s3_bucket.data.arn}/activated/*",
        "${aws_s3_bucket.data.arn}/catalog.json",
        "${aws_s3_bucket.data.arn}/stac/*",
        "${aws_s3_bucket.data.arn}/outcomes/*/activator.json",
      ])
      && toset(flatten([
        for s in jsondecode(aws_iam_role_policy.job["processor"].policy).Statement :
        s.Resource if contains(s.Action, "s3:PutObject")
        ])) == toset([
        "${aws_s3_bucket.data.arn}/products/*",
        "${aws_s3_bucket.data.arn}/catalog.json",
        "${aws_s3_bucket.data.arn}/stac/*",
        "${aws_s3_bucket.data.arn}/outcomes/*/processor.json",
      ])
    )
    error_message = "The activator may only write activated/, the catalog and its own outcome, the processor only products/, the catalog and its own outcome."
  }

  assert {
    condition = (
      alltrue([
        for job, p in aws_iam_role_policy.job : anytrue([
          for s in jsondecode(p.policy).Statement :
          s.Action == ["s3:PutObject"] && s.Resource == ["${aws_s3_bucket.data.arn}/outcomes/*/${job}.json"]
        ])
      ])
      && anytrue([
        for s in jsondecode(aws_iam_role_policy.state_machine.policy).Statement :
        s.Action == ["s3:GetObject"] && s.Resource == ["${aws_s3_bucket.data.arn}/outcomes/*"]
      ])
    )
    error_message = "Each job may write only its own outcome, outcomes/<execution>/<job>.json, and the state machine may read outcomes back (ADR 0166), nothing more there."
  }

  assert {
    condition = !anytrue(flatten([
      for s in jsondecode(aws_iam_role_policy.state_machine.policy).Statement : [
        for a in s.Action : startswith(a, "s3:") && s.Resource != ["${aws_s3_bucket.data.arn}/outcomes/*"]
      ]
    ]))
    error_message = "The state machine's only S3 access is reading job outcomes."
  }

  assert {
    condition = alltrue([
      for r in values(aws_iam_role.job) : r.assume_role_policy == data.aws_iam_policy_document.assume["job"].json
      ]) && anytrue([
      for s in data.aws_iam_policy_document.assume["job"].statement :
      anytrue([for p in s.principals : p.identifiers == toset(["ecs-tasks.amazonaws.com"])])
      && anytrue([for c in s.condition : c.variable == "aws:SourceAccount" && contains(c.values, "123456789012")])
    ])
    error_message = "Job roles trust ECS tasks of this account only."
  }

  assert {
    condition = (
      aws_iam_role_policy.trigger.role == aws_iam_role.trigger.id
      && aws_iam_role_policy.state_machine.role == aws_iam_role.state_machine.id
      && aws_iam_role_policy.batch_execution.role == aws_iam_role.batch_execution.id
      && aws_iam_role_policy.job["activator"].role == aws_iam_role.job["activator"].id
      && aws_iam_role_policy.job["processor"].role == aws_iam_role.job["processor"].id
    )
    error_message = "Each principal has its own role with its own policy."
  }

  # --- spot compute uses an instance role and ec2 job definitions


  assert {
    condition = (
      one(aws_batch_compute_environment.main.compute_resources).type == "SPOT"
      && one(aws_batch_compute_environment.main.compute_resources).instance_role == aws_iam_instance_profile.ecs_instance[0].arn
      && one(aws_batch_compute_environment.main.compute_resources).allocation_strategy == "SPOT_PRICE_CAPACITY_OPTIMIZED"
      && one(aws_batch_compute_environment.main.compute_resources).min_vcpus == 0
    )
    error_message = "SPOT compute environments scale to zero with the module's instance profile."
  }

  assert {
    condition = alltrue([
      for d in aws_batch_job_definition.job :
      d.platform_capabilities == toset(["EC2"])
      && !can(jsondecode(d.container_properties).networkConfiguration)
      && !can(jsondecode(d.container_properties).fargatePlatformConfiguration)
    ])
    error_message = "EC2 job definitions carry no Fargate-only settings."
  }
}
