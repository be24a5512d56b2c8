"""moto_server plus the two Step Functions calls moto 5.2.1 lacks and the AWS provider needs.

The provider calls ValidateStateMachineDefinition before creating any aws_sfn_state_machine and
ListStateMachineVersions whenever it reads one; moto answers both with HTTP 500 (not
implemented), so no state machine can be applied against it. This answers them the way AWS
does for a valid, unversioned machine. Usage: python3 moto_server_sfn.py [port]
"""
import json
import sys

from moto.server import main
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

sys.exit(main(["-H", "127.0.0.1", "-p", sys.argv[1] if len(sys.argv) > 1 else "5055"]))
