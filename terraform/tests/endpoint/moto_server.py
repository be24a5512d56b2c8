"""moto_server plus what moto 5.2.1 lacks and the AWS provider needs for this module.

- Step Functions: the provider calls ValidateStateMachineDefinition before creating any
  aws_sfn_state_machine and ListStateMachineVersions whenever it reads one; moto answers both
  with HTTP 500 (not implemented). These answer them the way AWS does for a valid, unversioned
  machine.
- SQS: moto stores a queue's RedriveAllowPolicy (aws_sqs_queue_redrive_allow_policy) but does not
  return it from GetQueueAttributes and rejects the name there, so the provider would wait for it
  forever. This returns it like any other attribute.

Usage: python3 moto_server.py [port]
"""
import json
import sys

from moto.server import main
from moto.sqs.models import Queue
from moto.stepfunctions.responses import StepFunctionResponse


def _validate_state_machine_definition(self):
    json.loads(self._get_param("definition"))  # invalid JSON -> error, like AWS
    return json.dumps({"result": "OK", "diagnostics": []})


def _list_state_machine_versions(self):
    return json.dumps({"stateMachineVersions": []})


if not hasattr(StepFunctionResponse, "validate_state_machine_definition"):
    StepFunctionResponse.validate_state_machine_definition = _validate_state_machine_definition
if not hasattr(StepFunctionResponse, "list_state_machine_versions"):
    StepFunctionResponse.list_state_machine_versions = _list_state_machine_versions

if "RedriveAllowPolicy" not in Queue.BASE_ATTRIBUTES:
    Queue.BASE_ATTRIBUTES = Queue.BASE_ATTRIBUTES + ["RedriveAllowPolicy"]
    Queue.redrive_allow_policy = None  # set by SetQueueAttributes (moto stores every attribute)
    _attributes = Queue.attributes.fget

    def _attributes_with_redrive_allow_policy(self):
        result = _attributes(self)
        if not result.get("RedriveAllowPolicy"):  # unset, or cleared with "" like AWS
            result.pop("RedriveAllowPolicy", None)
        return result

    Queue.attributes = property(_attributes_with_redrive_allow_policy)

sys.exit(main(["-H", "127.0.0.1", "-p", sys.argv[1] if len(sys.argv) > 1 else "5055"]))
