"""Equivalent boto3 trigger handler, for the cold-path comparison (bench/trigger/cold.sh).

Same contract as the Java handler: one StartExecution per record (bounded thread pool), name from
the message id, ExecutionAlreadyExists = success, partial batch response. Endpoint from the
standard AWS_ENDPOINT_URL_SFN variable (boto3 >= 1.28). No S3 offload or JSON check (the
benchmark bodies are small JSON), so it does slightly less work than the Java handler.
"""
import json
import os
import re
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

t0 = time.perf_counter()
import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

SFN = boto3.client("stepfunctions", config=Config(retries={"mode": "standard", "max_attempts": 4},
                                                   max_pool_connections=32))
STATE_MACHINE_ARN = os.environ["STATE_MACHINE_ARN"]
_BAD = re.compile(r"[^A-Za-z0-9-]")


def _start(record):
    mid = record["messageId"]
    arn = record.get("eventSourceARN")
    body = json.dumps({"eventSourceARN": arn, "queueName": arn.rsplit(":", 1)[-1], "messageId": mid,
                       "parameters": {"event": record["body"]}})
    name = mid if (0 < len(mid) <= 80 and not _BAD.search(mid)) else _BAD.sub("-", mid)[:53]
    try:
        SFN.start_execution(stateMachineArn=STATE_MACHINE_ARN, name=name, input=body)
        return None
    except SFN.exceptions.ExecutionAlreadyExists:
        return None
    except Exception as e:  # noqa: BLE001 - reported as a batch item failure
        print(json.dumps({"event": "record_failed", "messageId": mid, "reason": str(e)}), file=sys.stderr)
        return mid


def handler(event, context):
    records = event.get("Records", [])
    with ThreadPoolExecutor(max_workers=min(32, max(1, len(records)))) as pool:
        failed = [m for m in pool.map(_start, records) if m is not None]
    return {"batchItemFailures": [{"itemIdentifier": m} for m in failed]}


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        ev = json.load(f)
    if "--fresh-ids" in sys.argv:
        for r in ev["Records"]:
            r["messageId"] = str(uuid.uuid4())
    t1 = time.perf_counter()
    resp = handler(ev, None)
    t2 = time.perf_counter()
    print(json.dumps({"bench": "trigger-cold-python", "records": len(ev["Records"]),
                      "failed": len(resp["batchItemFailures"]), "initMs": round((t1 - t0) * 1000, 1),
                      "handleMs": round((t2 - t1) * 1000, 1)}), file=sys.stderr)
    sys.exit(1 if resp["batchItemFailures"] else 0)
