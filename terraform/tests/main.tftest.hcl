# The module as deployed by default (Fargate), with a mocked AWS provider.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  trigger_artifact_path = "tests/fixtures/sfn-trigger.jar"
}

# Distinct, valid-looking ARNs/URLs per queue so the Choice test can tell them apart.
override_resource {
  target = aws_sqs_queue.main["activator"]
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:hsi-pipeline-activator-queue"
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/hsi-pipeline-activator-queue"
  }
}

override_resource {
  target = aws_sqs_queue.main["processor"]
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:hsi-pipeline-processor-queue"
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/hsi-pipeline-processor-queue"
  }
}

override_resource {
  target = aws_sqs_queue.dlq["activator"]
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:hsi-pipeline-activator-dlq"
  }
}

override_resource {
  target = aws_sqs_queue.dlq["processor"]
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:hsi-pipeline-processor-dlq"
  }
}

override_resource {
  target = aws_batch_job_definition.job["activator"]
  values = {
    arn        = "arn:aws:batch:us-east-1:123456789012:job-definition/hsi-pipeline-activator:1"
    arn_prefix = "arn:aws:batch:us-east-1:123456789012:job-definition/hsi-pipeline-activator"
  }
}

override_resource {
  target = aws_batch_job_definition.job["processor"]
  values = {
    arn        = "arn:aws:batch:us-east-1:123456789012:job-definition/hsi-pipeline-processor:1"
    arn_prefix = "arn:aws:batch:us-east-1:123456789012:job-definition/hsi-pipeline-processor"
  }
}

run "queues_follow_queues_json" {
  command = plan

  assert {
    condition = alltrue([
      for k, q in jsondecode(file("queues.json")).queues :
      aws_sqs_queue.main[k].name == "hsi-pipeline-${q.name}"
      && aws_sqs_queue.dlq[k].name == "hsi-pipeline-${q.dlq_name}"
      && aws_sqs_queue.main[k].visibility_timeout_seconds == q.visibility_timeout_seconds
      && aws_sqs_queue.main[k].receive_wait_time_seconds == q.receive_wait_time_seconds
      && aws_sqs_queue.main[k].message_retention_seconds == q.message_retention_seconds
      && aws_sqs_queue.dlq[k].message_retention_seconds == q.dlq_message_retention_seconds
      && aws_sqs_queue.main[k].sqs_managed_sse_enabled
      && aws_sqs_queue.dlq[k].sqs_managed_sse_enabled
    ])
    error_message = "Queue names, visibility, long polling, retention and SSE must follow queues.json."
  }

  assert {
    condition = alltrue([
      for k, q in jsondecode(file("queues.json")).queues :
      aws_sqs_queue.main[k].visibility_timeout_seconds >= 6 * aws_lambda_function.trigger.timeout
    ])
    error_message = "Queue visibility must be at least 6x the trigger timeout."
  }
}

# One apply for the rest: every run block costs a provider start, which is slow on small CI machines.
run "deployed_pipeline_is_wired_and_locked_down" {
  command = apply

  # --- state machine routes exactly the two queues

  assert {
    condition     = can(jsondecode(aws_sfn_state_machine.pipeline.definition))
    error_message = "The rendered state machine definition is not valid JSON."
  }

  assert {
    condition     = !strcontains(aws_sfn_state_machine.pipeline.definition, "$${")
    error_message = "The rendered definition still contains an unfilled $${...} placeholder."
  }

  assert {
    condition = (
      [for c in jsondecode(aws_sfn_state_machine.pipeline.definition).States.RouteBySourceQueue.Choices : c.StringEquals]
      == [aws_sqs_queue.main["activator"].arn, aws_sqs_queue.main["processor"].arn]
    )
    error_message = "The Choice must compare $.eventSourceARN against exactly the activator and processor queue ARNs."
  }

  assert {
    condition = alltrue([
      for c in jsondecode(aws_sfn_state_machine.pipeline.definition).States.RouteBySourceQueue.Choices : c.Variable == "$.eventSourceARN"
    ])
    error_message = "The Choice must look at $.eventSourceARN."
  }

  assert {
    condition = (
      jsondecode(aws_sfn_state_machine.pipeline.definition).States.ActivatorState.Parameters.JobDefinition == aws_batch_job_definition.job["activator"].arn
      && jsondecode(aws_sfn_state_machine.pipeline.definition).States.ProcessorState.Parameters.JobDefinition == aws_batch_job_definition.job["processor"].arn
      && jsondecode(aws_sfn_state_machine.pipeline.definition).States.ActivatorState.Parameters.JobQueue == aws_batch_job_queue.main.arn
      && jsondecode(aws_sfn_state_machine.pipeline.definition).States.ProcessorState.Parameters.JobQueue == aws_batch_job_queue.main.arn
    )
    error_message = "Both Task states must submit to this job queue with their own job definition."
  }

  assert {
    condition = (
      jsondecode(aws_sfn_state_machine.pipeline.definition).States.ProcessorState.Parameters.ContainerOverrides.ResourceRequirements
      == [for r in jsondecode(file("../batch/processor/job-definition.json")).containerProperties.resourceRequirements : { Type = r.type, Value = r.value }]
    )
    error_message = "The processor's ResourceRequirements must come from batch/processor/job-definition.json."
  }

  assert {
    condition     = aws_sfn_state_machine.pipeline.type == "STANDARD"
    error_message = "submitJob.sync needs a STANDARD state machine."
  }

  assert {
    condition = (
      one(aws_sfn_state_machine.pipeline.logging_configuration).level == "ERROR"
      && one(aws_sfn_state_machine.pipeline.logging_configuration).log_destination == "${aws_cloudwatch_log_group.state_machine.arn}:*"
    )
    error_message = "State machine logs go to its log group at the configured level."
  }

  # --- both queues trigger with partial batch failures

  assert {
    condition     = length(aws_lambda_event_source_mapping.queue) == 2
    error_message = "Expected one event source mapping per queue."
  }

  assert {
    condition = alltrue([
      for m in aws_lambda_event_source_mapping.queue : m.function_response_types == toset(["ReportBatchItemFailures"])
    ])
    error_message = "Both event source mappings must report batch item failures."
  }

  assert {
    condition = (
      aws_lambda_event_source_mapping.queue["activator"].event_source_arn == aws_sqs_queue.main["activator"].arn
      && aws_lambda_event_source_mapping.queue["processor"].event_source_arn == aws_sqs_queue.main["processor"].arn
    )
    error_message = "Each mapping must read its own queue."
  }

  assert {
    condition = alltrue([
      for m in aws_lambda_event_source_mapping.queue :
      m.function_name == aws_lambda_alias.live.arn
      && m.batch_size == jsondecode(file("queues.json")).event_source_mapping.batch_size
      && m.maximum_batching_window_in_seconds == jsondecode(file("queues.json")).event_source_mapping.maximum_batching_window_seconds
      && one(m.scaling_config).maximum_concurrency == jsondecode(file("queues.json")).event_source_mapping.maximum_concurrency
    ])
    error_message = "Mappings invoke the live alias with batch size, window and concurrency from queues.json."
  }

  assert {
    condition = (
      aws_lambda_function.trigger.runtime == "java21"
      && aws_lambda_function.trigger.handler == "dev.hsipipeline.trigger.SfnTriggerHandler::handleRequest"
      && aws_lambda_function.trigger.publish
      && one(aws_lambda_function.trigger.snap_start).apply_on == "PublishedVersions"
      && aws_lambda_alias.live.function_version == aws_lambda_function.trigger.version
    )
    error_message = "The trigger is a java21 function with SnapStart on a published version behind the live alias."
  }

  assert {
    condition = (
      aws_lambda_function.trigger.environment[0].variables.STATE_MACHINE_ARN == aws_sfn_state_machine.pipeline.arn
      && aws_lambda_function.trigger.environment[0].variables.PAYLOAD_BUCKET == aws_s3_bucket.data.bucket
      && aws_lambda_function.trigger.environment[0].variables.PAYLOAD_PREFIX == "payloads/"
      && aws_lambda_function.trigger.environment[0].variables.INLINE_PAYLOAD_LIMIT_BYTES == tostring(jsondecode(file("queues.json")).trigger.inline_payload_limit_bytes)
      && aws_lambda_function.trigger.environment[0].variables.MAX_CONCURRENCY == tostring(jsondecode(file("queues.json")).trigger.max_concurrency)
    )
    error_message = "The trigger's environment names the state machine, the payload bucket/prefix and the limits from queues.json."
  }

  assert {
    condition = (
      aws_lambda_function.trigger.timeout == jsondecode(file("queues.json")).trigger.timeout_seconds
      && aws_lambda_function.trigger.memory_size == jsondecode(file("queues.json")).trigger.memory_mib
    )
    error_message = "Trigger timeout and memory default to queues.json."
  }

  # --- redrive points at each queues own dlq

  assert {
    condition = alltrue([
      for k, q in jsondecode(file("queues.json")).queues :
      jsondecode(aws_sqs_queue.main[k].redrive_policy).deadLetterTargetArn == aws_sqs_queue.dlq[k].arn
      && jsondecode(aws_sqs_queue.main[k].redrive_policy).maxReceiveCount == q.max_receive_count
    ])
    error_message = "Each queue must redrive to its own DLQ after queues.json's max_receive_count."
  }

  # --- data bucket is private encrypted and tls only

  assert {
    condition = (
      aws_s3_bucket_public_access_block.data.block_public_acls
      && aws_s3_bucket_public_access_block.data.block_public_policy
      && aws_s3_bucket_public_access_block.data.ignore_public_acls
      && aws_s3_bucket_public_access_block.data.restrict_public_buckets
      && aws_s3_bucket_public_access_block.data.bucket == aws_s3_bucket.data.id
    )
    error_message = "The data bucket must block all public access."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_s3_bucket_policy.data.policy).Statement :
      s.Effect == "Deny"
      && contains(s.Action, "s3:*")
      && toset(s.Resource) == toset([aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"])
      && s.Condition.Bool["aws:SecureTransport"] == "false"
      && s.Principal == "*"
    ])
    error_message = "The bucket policy (policies/data-bucket.json) must deny every non-TLS request to the bucket and its objects."
  }

  assert {
    condition = (
      one(aws_s3_bucket_versioning.data.versioning_configuration).status == "Enabled"
      && one(one(aws_s3_bucket_server_side_encryption_configuration.data.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    )
    error_message = "The data bucket must be versioned and encrypted."
  }

  assert {
    condition = anytrue([
      for r in aws_s3_bucket_lifecycle_configuration.data.rule :
      r.status == "Enabled" && try(one(r.filter).prefix, "") == "payloads/" && try(one(r.expiration).days, 0) == 14
    ])
    error_message = "Oversize payloads under payloads/ must expire."
  }

  assert {
    # Jobs upload large outputs in parts; an upload that never completes must not keep its parts.
    # (The rule's empty filter, i.e. the whole bucket, is not observable: the mock fills prefix.)
    condition = anytrue([
      for r in aws_s3_bucket_lifecycle_configuration.data.rule :
      r.status == "Enabled" && r.id == "expire-noncurrent-versions"
      && try(one(r.abort_incomplete_multipart_upload).days_after_initiation, 0) >= 1
    ])
    error_message = "The data bucket must abort incomplete multipart uploads."
  }

  # --- job definitions carry images roles and the shared json

  assert {
    condition = alltrue([
      for job in ["activator", "processor"] :
      jsondecode(aws_batch_job_definition.job[job].container_properties).image == "${aws_ecr_repository.job[job].repository_url}:latest"
      && jsondecode(aws_batch_job_definition.job[job].container_properties).jobRoleArn == aws_iam_role.job[job].arn
      && jsondecode(aws_batch_job_definition.job[job].container_properties).executionRoleArn == aws_iam_role.batch_execution.arn
    ])
    error_message = "Each job definition must use its ECR image and the job/execution roles."
  }

  assert {
    condition = alltrue([
      for job in ["activator", "processor"] :
      jsonencode(jsondecode(aws_batch_job_definition.job[job].container_properties).command) == jsonencode(jsondecode(file("../batch/${job}/job-definition.json")).containerProperties.command)
      && jsonencode(jsondecode(aws_batch_job_definition.job[job].container_properties).resourceRequirements) == jsonencode(jsondecode(file("../batch/${job}/job-definition.json")).containerProperties.resourceRequirements)
    ])
    error_message = "Command and resource requirements must come from batch/<job>/job-definition.json."
  }

  assert {
    condition = alltrue([
      for job in ["activator", "processor"] :
      jsonencode(aws_batch_job_definition.job[job].parameters) == jsonencode(jsondecode(file("../batch/${job}/job-definition.json")).parameters)
      && one(aws_batch_job_definition.job[job].timeout).attempt_duration_seconds == jsondecode(file("../batch/${job}/job-definition.json")).timeout.attemptDurationSeconds
    ])
    error_message = "Parameters and timeout must come from batch/<job>/job-definition.json."
  }

  assert {
    condition = alltrue([
      for job in ["activator", "processor"] :
      one(aws_batch_job_definition.job[job].retry_strategy).attempts == jsondecode(file("../batch/${job}/job-definition.json")).retryStrategy.attempts
      && jsonencode([
        for e in one(aws_batch_job_definition.job[job].retry_strategy).evaluate_on_exit :
        [e.action, e.on_exit_code, e.on_reason, e.on_status_reason]
        ]) == jsonencode([
        for e in jsondecode(file("../batch/${job}/job-definition.json")).retryStrategy.evaluateOnExit :
        [e.action, try(e.onExitCode, null), try(e.onReason, null), try(e.onStatusReason, null)]
      ])
    ])
    error_message = "The retry strategy (attempts and evaluateOnExit rules, in order) must come from batch/<job>/job-definition.json."
  }

  assert {
    condition = alltrue([
      for job in ["activator", "processor"] :
      aws_batch_job_definition.job[job].platform_capabilities == toset(["FARGATE"])
      && jsondecode(aws_batch_job_definition.job[job].container_properties).networkConfiguration.assignPublicIp == "ENABLED"
      && jsondecode(aws_batch_job_definition.job[job].container_properties).logConfiguration.logDriver == "awslogs"
      && jsondecode(aws_batch_job_definition.job[job].container_properties).logConfiguration.options["awslogs-group"] == aws_cloudwatch_log_group.batch.name
    ])
    error_message = "On Fargate, job definitions are FARGATE-capable, networked and log to the Batch log group."
  }

  assert {
    condition = (
      contains(jsondecode(aws_batch_job_definition.job["activator"].container_properties).environment, { name = "PROCESSOR_QUEUE_URL", value = aws_sqs_queue.main["processor"].url })
      && alltrue([
        for job in ["activator", "processor"] :
        contains(jsondecode(aws_batch_job_definition.job[job].container_properties).environment, { name = "DATA_BUCKET", value = aws_s3_bucket.data.bucket })
        && contains(jsondecode(aws_batch_job_definition.job[job].container_properties).environment, { name = "AWS_REGION", value = "us-east-1" })
      ])
    )
    error_message = "Jobs get DATA_BUCKET and AWS_REGION; the activator gets the processor queue URL."
  }

  assert {
    condition = alltrue([
      for a in aws_batch_job_queue.main.job_state_time_limit_action : a.action == "CANCEL" && a.state == "RUNNABLE"
    ]) && length(aws_batch_job_queue.main.job_state_time_limit_action) == 3
    error_message = "The job queue must cancel jobs stuck in RUNNABLE."
  }

  assert {
    condition     = one(aws_batch_compute_environment.main.compute_resources).type == "FARGATE"
    error_message = "Fargate is the default compute type."
  }

  # --- jobs reach AWS over https only
  assert {
    condition = (
      length(aws_security_group.batch.egress) == 1
      && alltrue([for e in aws_security_group.batch.egress : e.protocol == "tcp" && e.from_port == 443 && e.to_port == 443])
      && length(aws_security_group.batch.ingress) == 0
      && one(aws_batch_compute_environment.main.compute_resources).security_group_ids == toset([aws_security_group.batch.id])
    )
    error_message = "Batch jobs get a security group with HTTPS egress only and no ingress."
  }

  # --- batch runs with its service-linked role, which Batch creates itself when missing
  assert {
    condition = (
      length(aws_iam_service_linked_role.batch) == 0
      && local.batch_service_role_arn == null
    )
    error_message = "By default the module creates no service-linked role (apply fails where it exists) and names no service role (Batch uses its own, creating it on first use)."
  }

  # --- jobs run in the default vpc, in a security group terraform can replace
  assert {
    condition = (
      aws_security_group.batch.vpc_id == "vpc-0123456789abcdef0"
      && aws_security_group.batch.name_prefix == "hsi-pipeline-batch-jobs-"
      && one(aws_batch_compute_environment.main.compute_resources).subnets == toset(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"])
    )
    error_message = "Without vpc_id/subnet_ids, jobs run in the default VPC's subnets; the security group has a name prefix (create_before_destroy needs a fresh name)."
  }

  # --- ecr scans and expires images

  assert {
    condition = alltrue([
      for r in aws_ecr_repository.job : one(r.image_scanning_configuration).scan_on_push
    ])
    error_message = "ECR repositories must scan on push."
  }

  assert {
    condition = alltrue([
      for p in aws_ecr_lifecycle_policy.job :
      jsondecode(p.policy).rules[1].selection.countNumber == 10
      && jsondecode(p.policy).rules[1].selection.tagStatus == "any"
      && jsondecode(p.policy).rules[1].rulePriority > jsondecode(p.policy).rules[0].rulePriority
    ])
    error_message = "ECR lifecycle policies keep the last ecr_keep_images images."
  }

  assert {
    # A lower-priority rule never expires an image a higher-priority rule's tag selection matched.
    condition = alltrue([
      for job, p in aws_ecr_lifecycle_policy.job :
      jsondecode(p.policy).rules[0].rulePriority == 1
      && jsondecode(p.policy).rules[0].selection.tagStatus == "tagged"
      && jsondecode(p.policy).rules[0].selection.tagPatternList == [split(":", jsondecode(aws_batch_job_definition.job[job].container_properties).image)[1]]
      && jsondecode(p.policy).rules[0].selection.countType == "imageCountMoreThan"
      && jsondecode(p.policy).rules[0].selection.countNumber >= 1
    ])
    error_message = "The first ECR lifecycle rule must match exactly the tag the job definitions run, so that image is never expired."
  }

  # --- two regions of one account do not collide on global iam names
  assert {
    condition = alltrue([
      for r in concat([aws_iam_role.trigger, aws_iam_role.state_machine, aws_iam_role.batch_execution], values(aws_iam_role.job)) :
      startswith(r.name, "hsi-pipeline-us-east-1-") && r.path == "/" && r.permissions_boundary == null
    ])
    error_message = "IAM role names carry the region; default path /, no permissions boundary."
  }

  # --- task timeouts cover every attempt of the job they run
  assert {
    condition = alltrue([
      for job in ["activator", "processor"] :
      jsondecode(aws_sfn_state_machine.pipeline.definition).States["${title(job)}State"].TimeoutSeconds == (
        jsondecode(file("../batch/${job}/job-definition.json")).retryStrategy.attempts * (
          jsondecode(file("queues.json")).batch.runnable_timeout_seconds
          + jsondecode(file("queues.json")).batch.start_allowance_seconds
          + jsondecode(file("../batch/${job}/job-definition.json")).timeout.attemptDurationSeconds
        )
      )
    ])
    error_message = "Each Task's TimeoutSeconds must be attempts x (RUNNABLE wait + start allowance + attempt duration)."
  }

  assert {
    condition = (
      jsondecode(aws_sfn_state_machine.pipeline.definition).TimeoutSeconds
      > max(jsondecode(aws_sfn_state_machine.pipeline.definition).States.ActivatorState.TimeoutSeconds, jsondecode(aws_sfn_state_machine.pipeline.definition).States.ProcessorState.TimeoutSeconds)
      && one([for a in aws_batch_job_queue.main.job_state_time_limit_action : a.max_time_seconds if a.reason == "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"]) == jsondecode(file("queues.json")).batch.runnable_timeout_seconds
    )
    error_message = "The execution timeout must exceed every task timeout; the job queue cancels RUNNABLE jobs after queues.json's runnable_timeout_seconds."
  }

  # --- the unknown-queue failure names the queue
  assert {
    condition = (
      jsondecode(aws_sfn_state_machine.pipeline.definition).States.FailureState.Error == "DefaultStateError"
      && strcontains(jsondecode(aws_sfn_state_machine.pipeline.definition).States.FailureState.CausePath, "$.eventSourceARN")
      && startswith(jsondecode(aws_sfn_state_machine.pipeline.definition).States.FailureState.CausePath, "States.Format(")
    )
    error_message = "FailureState must name the unknown queue (CausePath with States.Format over $.eventSourceARN)."
  }

  # --- resultselector reads only fields describejobs always returns
  assert {
    condition = alltrue([
      for s in ["ActivatorState", "ProcessorState"] :
      jsondecode(aws_sfn_state_machine.pipeline.definition).States[s].ResultSelector == { "JobId.$" = "$.JobId", "JobName.$" = "$.JobName", "Status.$" = "$.Status" }
    ])
    error_message = "ResultSelector may only read JobId, JobName and Status: a path to an optional field (StatusReason) fails a good job with States.Runtime."
  }

  # --- each job writes its outcome where the state machine reads it back (ADR 0166)
  assert {
    condition = alltrue([
      for job in ["activator", "processor"] : contains(
        jsondecode(aws_sfn_state_machine.pipeline.definition).States["${title(job)}State"].Parameters.ContainerOverrides.Environment,
        { Name = "PIPELINE_OUTCOME_URI", "Value.$" = "States.Format('s3://${aws_s3_bucket.data.bucket}/outcomes/{}/${job}.json', $$.Execution.Name)" }
      )
      && jsondecode(aws_sfn_state_machine.pipeline.definition).States["${title(job)}State"].Next == "ReadJobOutcome"
    ])
    error_message = "Each job must be told PIPELINE_OUTCOME_URI under outcomes/<execution>/<job>.json in the data bucket, and be followed by ReadJobOutcome."
  }

  assert {
    condition = (
      jsondecode(aws_sfn_state_machine.pipeline.definition).States.ReadJobOutcome.Resource == "arn:aws:states:::aws-sdk:s3:getObject"
      && jsondecode(aws_sfn_state_machine.pipeline.definition).States.ReadJobOutcome.Parameters == {
        Bucket  = aws_s3_bucket.data.bucket
        "Key.$" = "States.Format('outcomes/{}/{}.json', $$.Execution.Name, $.job.JobName)"
      }
      && jsondecode(aws_sfn_state_machine.pipeline.definition).States.ReadJobOutcome.Catch == [
        { ErrorEquals = ["States.ALL"], ResultPath = "$.outcome", Next = "OutcomeUnreadable" }
      ]
      && jsondecode(aws_sfn_state_machine.pipeline.definition).States.OutcomeUnreadable.End
      && jsondecode(aws_sfn_state_machine.pipeline.definition).States.PublishOutcome.End
    )
    error_message = "ReadJobOutcome must read outcomes/<execution>/<job>.json from the data bucket, and a failed read must end the execution successfully with status unreported."
  }
}

run "stac_public_base_url_reaches_every_job_only_when_set" {
  command = apply

  variables {
    stac_public_base_url = "https://data.example.org/hsi"
  }

  assert {
    condition = alltrue([for job in ["activator", "processor"] : [
      for e in jsondecode(aws_batch_job_definition.job[job].container_properties).environment : e.value if e.name == "STAC_PUBLIC_BASE_URL"
    ] == ["https://data.example.org/hsi"]])
    error_message = "Each job definition must carry STAC_PUBLIC_BASE_URL once, with the configured URL (ADR 0161)."
  }
}

run "stac_public_base_url_is_absent_by_default" {
  command = apply

  assert {
    condition = alltrue([for job in ["activator", "processor"] : length([
      for e in jsondecode(aws_batch_job_definition.job[job].container_properties).environment : e if e.name == "STAC_PUBLIC_BASE_URL"
    ]) == 0])
    error_message = "Without stac_public_base_url the jobs get no STAC_PUBLIC_BASE_URL (relative hrefs, s3:// self links)."
  }
}

run "stac_public_base_url_with_a_trailing_slash_is_refused" {
  command = plan

  variables {
    stac_public_base_url = "https://data.example.org/hsi/"
  }

  expect_failures = [var.stac_public_base_url]
}
