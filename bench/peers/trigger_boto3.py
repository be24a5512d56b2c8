#!/usr/bin/env python3
"""Peer for benchmarks 1 and 2: the SQS -> StartExecution trigger written the way a Python Lambda
would be, with boto3, doing the same calls as dev.hsipipeline.trigger.SfnTriggerHandler:
validate the body as JSON, build the same execution input, derive the execution name from the
message id, start the records of a batch concurrently (a thread pool, as boto3 is synchronous),
count ExecutionAlreadyExists as success, return the partial batch response.

  cold:  python3 trigger_boto3.py cold <prefix> <records> <queue-arn>
  warm:  python3 trigger_boto3.py warm <prefix> <batches> <batch-size> <warmup-batches> <queue-arn>

Configuration from the environment, as Lambda provides it: STATE_MACHINE_ARN, AWS_REGION,
AWS_ENDPOINT_URL_SFN, credentials. Prints "RESULT {json}".
"""
import hashlib
import base64
import json
import os
import re
import sys
import time

T0 = time.perf_counter()

import boto3  # noqa: E402  (import time is part of the cold start, as in Lambda's init)
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

PLAIN = re.compile(r"^[A-Za-z0-9-]{1,80}$")
SFN = boto3.client("stepfunctions")  # init: one client per execution environment
STATE_MACHINE_ARN = os.environ["STATE_MACHINE_ARN"]
POOL = ThreadPoolExecutor(max_workers=int(os.environ.get("MAX_CONCURRENCY", "32")))


def execution_name(message_id):
    if PLAIN.match(message_id):
        return message_id
    prefix = re.sub(r"[^A-Za-z0-9.-]", "-", message_id)[:53]
    digest = base64.b32encode(hashlib.sha256(message_id.encode()).digest()).decode().lower()[:26]
    return prefix + "_" + digest


def start(record):
    body = record["body"]
    try:
        json.loads(body)
    except ValueError as e:
        print(json.dumps({"level": "ERROR", "msg": "record_failed", "messageId": record["messageId"],
                          "reason": "body is not JSON: %s" % e}))
        return record["messageId"]
    arn = record["eventSourceARN"]
    payload = json.dumps({"eventSourceARN": arn, "queueName": arn.rsplit(":", 1)[-1],
                          "messageId": record["messageId"], "parameters": {"event": body}})
    try:
        SFN.start_execution(stateMachineArn=STATE_MACHINE_ARN,
                            name=execution_name(record["messageId"]), input=payload)
    except SFN.exceptions.ExecutionAlreadyExists:
        pass  # a redelivery: the first delivery's execution stands
    except Exception as e:  # noqa: BLE001 - anything else: report the record as failed
        print(json.dumps({"level": "ERROR", "msg": "record_failed", "messageId": record["messageId"],
                          "reason": repr(e)}))
        return record["messageId"]
    return None


def handler(event, context):
    records = event.get("Records") or []
    failed = [m for m in POOL.map(start, records) if m is not None]
    print(json.dumps({"level": "INFO", "msg": "batch_done", "records": len(records), "failed": len(failed)}))
    return {"batchItemFailures": [{"itemIdentifier": m} for m in failed]}


def event(prefix, n, queue_arn):
    return {"Records": [{"messageId": "%s-%d" % (prefix, i), "receiptHandle": "rh-%s-%d" % (prefix, i),
                         "body": json.dumps({"scene": "s3://hsi-data/scenes/bench-%d.hdr" % i, "seq": i}),
                         "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": "us-east-1"}
                        for i in range(n)]}


def main(argv):
    mode = argv[1]
    if mode == "cold":
        prefix, n, arn = argv[2], int(argv[3]), argv[4]
        t1 = time.perf_counter()
        r = handler(event(prefix, n, arn), None)
        t2 = time.perf_counter()
        print("RESULT " + json.dumps({"initMs": (t1 - T0) * 1e3, "invokeMs": (t2 - t1) * 1e3, "records": n,
                                      "failures": len(r["batchItemFailures"])}))
        return 0 if not r["batchItemFailures"] else 3
    if mode == "warm":
        prefix, batches, size, warmup, arn = argv[2], int(argv[3]), int(argv[4]), int(argv[5]), argv[6]
        for b in range(warmup):
            handler(event("%s-w%d" % (prefix, b), size, arn), None)
        t1 = time.perf_counter()
        failures = 0
        for b in range(batches):
            failures += len(handler(event("%s-m%d" % (prefix, b), size, arn), None)["batchItemFailures"])
        t2 = time.perf_counter()
        print("RESULT " + json.dumps({"recordsPerSecond": batches * size / (t2 - t1), "records": batches * size,
                                      "failures": failures}))
        return 0 if failures == 0 else 3
    print("usage: trigger_boto3.py cold|warm ...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
