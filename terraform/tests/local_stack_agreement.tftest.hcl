# The deployed module's state for the local-stack agreement check. The JUnit test
# (terraform/src/test/java/.../LocalStackAgreementTest.java) runs this file with
# `terraform test -json -verbose`, reads the resulting state and compares queues and job
# definitions with what the local stack loads from the same files.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  trigger_artifact_path = "tests/fixtures/sfn-trigger.jar"
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
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:hsi-pipeline-activator-dlq" }
}

override_resource {
  target = aws_sqs_queue.dlq["processor"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:hsi-pipeline-processor-dlq" }
}

run "deployed_state_for_the_agreement_check" {
  command = apply

  assert {
    condition     = output.queue_urls["processor"] == aws_sqs_queue.main["processor"].url
    error_message = "queue_urls output must list the processor queue URL."
  }

  assert {
    condition = (
      startswith(output.state_machine_console_url, "https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/statemachines/view/")
      && strcontains(output.send_message_commands["processor"], aws_sqs_queue.main["processor"].url)
      && output.ecr_registry == "123456789012.dkr.ecr.us-east-1.amazonaws.com/hsi-pipeline"
    )
    error_message = "Outputs give a console URL, ready-to-paste send-message commands and the Jib registry."
  }
}
