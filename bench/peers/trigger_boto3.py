#!/usr/bin/env python3
"""Peer for benchmarks 1 and 2 (the only Python trigger in the repository): the SQS ->
StartExecution trigger written the way a Python Lambda would be, with boto3, making the same calls
with the same rules as dev.hsipipeline.trigger.SfnTriggerHandler:

- settings from the environment, read once at init: STATE_MACHINE_ARN, PAYLOAD_BUCKET,
  PAYLOAD_PREFIX (payloads/), INLINE_PAYLOAD_LIMIT_BYTES (8192), MAX_CONCURRENCY (32),
  REQUIRE_JSON_BODY (true); AWS_REGION, AWS_ENDPOINT_URL_SFN / _S3 and credentials as boto3 reads
  them; standard retry mode, 4 attempts, as the Java client;
- a body that is not JSON is a permanent failure (reported, so it reaches the DLQ);
- a body above the inline limit goes to s3://PAYLOAD_BUCKET/PAYLOAD_PREFIX<execution name> and the
  execution gets that URI (without PAYLOAD_BUCKET: permanent failure);
- the same execution input {"eventSourceARN", "queueName", "messageId", "parameters": {"event"}};
- the same execution name from the message id (ExecutionNames: plain ids as is, others
  <sanitized prefix>_<26 base32 chars of SHA-256>);
- the records of a batch start concurrently (a thread pool: boto3 is synchronous);
- ExecutionAlreadyExists: DescribeExecution; the same message (same input, or same messageId and
  eventSourceARN) is a redelivery = success, another message behind the name is a failure;
- a batch-wide error (state machine missing, bad ARN, 401/403, endpoint unreachable) marks the
  records not yet started as not attempted;
- the partial batch response {"batchItemFailures": [{"itemIdentifier": id}]}.
The S3 client is created on first use only: the Java handler's payload writer costs nothing at
init either, and the benchmarks send small bodies.

  cold:  python3 trigger_boto3.py cold <prefix> <records> <queue-arn>
  warm:  python3 trigger_boto3.py warm <prefix> <batches> <batch-size> <warmup-batches> <queue-arn>
  event: python3 trigger_boto3.py event <sqs-event.json>   (one invocation with a Lambda SQS event)

Prints one JSON log line per failed or duplicate record and per batch, then "RESULT {json}" (for
event: the batch response); exit 0, or 3 when a cold/warm record failed.
"""
import base64
import hashlib
import json
import os
import re
import sys
import threading
import time

T0 = time.perf_counter()

import boto3  # noqa: E402  (import time is part of the cold start, as in Lambda's init)
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError, EndpointConnectionError  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

STATE_MACHINE_ARN = os.environ.get("STATE_MACHINE_ARN", "")
if not re.fullmatch(r"arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}(:[A-Za-z0-9_$.-]{1,80})?",
                    STATE_MACHINE_ARN):
    sys.exit("STATE_MACHINE_ARN %r is not a Step Functions state machine ARN"
             " (arn:aws:states:<region>:<account>:stateMachine:<name>)" % STATE_MACHINE_ARN)
PAYLOAD_BUCKET = os.environ.get("PAYLOAD_BUCKET", "").strip() or None
PAYLOAD_PREFIX = os.environ.get("PAYLOAD_PREFIX", "payloads/").strip().lstrip("/")
if PAYLOAD_PREFIX and not PAYLOAD_PREFIX.endswith("/"):
    PAYLOAD_PREFIX += "/"
INLINE_LIMIT = int(os.environ.get("INLINE_PAYLOAD_LIMIT_BYTES", "8192"))
MAX_CONCURRENCY = int(os.environ.get("MAX_CONCURRENCY", "32"))
REQUIRE_JSON = os.environ.get("REQUIRE_JSON_BODY", "true").strip().lower() != "false"

CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, max_pool_connections=MAX_CONCURRENCY)
SFN = boto3.client("stepfunctions", config=CONFIG)  # init: one client per execution environment
POOL = ThreadPoolExecutor(max_workers=MAX_CONCURRENCY)
# arn:aws:states:<region>:<account>:stateMachine:<name>[:<qualifier>] -> ...:execution:<name>:
_ARN = STATE_MACHINE_ARN.split(":")
EXECUTION_ARN_PREFIX = ":".join(_ARN[:5] + ["execution", _ARN[6]]) + ":"
PLAIN = re.compile(r"[A-Za-z0-9-]{1,80}")
NOT_PREFIX = re.compile(r"[^A-Za-z0-9.-]")
BATCH_WIDE = {"StateMachineDoesNotExist", "StateMachineDeleting", "InvalidArn"}
PERMANENT = {"InvalidExecutionInput", "InvalidName"}
_s3 = None
_s3_lock = threading.Lock()


def log(level, msg, **fields):
    print(json.dumps(dict(level=level, msg=msg, **fields), ensure_ascii=False))


def execution_name(message_id):
    """dev.hsipipeline.trigger.ExecutionNames.fromMessageId."""
    message_id = message_id or ""
    if PLAIN.fullmatch(message_id):
        return message_id
    prefix = NOT_PREFIX.sub("-", message_id)[:53]
    # "replace": a lone surrogate hashes as "?", as Java's String.getBytes(UTF_8) does.
    digest = base64.b32encode(hashlib.sha256(message_id.encode("utf-8", "replace")).digest())
    return prefix + "_" + digest.decode().lower()[:26]


def queue_name(arn):
    return None if arn is None else arn.rsplit(":", 1)[-1]


def s3():
    global _s3
    with _s3_lock:
        if _s3 is None:
            _s3 = boto3.client("s3", config=CONFIG)
        return _s3


def error_code(e):
    return e.response.get("Error", {}).get("Code", "")


def start(record, batch_error):
    """One record -> (kind, reason); kind is started, duplicate, failed or permanent."""
    message_id, arn = record.get("messageId"), record.get("eventSourceARN")
    name = execution_name(message_id)
    if batch_error:
        return "failed", "not attempted after batch-wide error: " + batch_error[0]
    body = record.get("body") or ""
    if REQUIRE_JSON:
        try:
            json.loads(body)
        except ValueError as e:
            return "permanent", "body is not valid JSON: %s" % e
    event = body
    size = len(body.encode("utf-8", "surrogatepass"))
    if size > INLINE_LIMIT:
        if PAYLOAD_BUCKET is None:
            return "permanent", ("body of %d bytes exceeds INLINE_PAYLOAD_LIMIT_BYTES=%d and PAYLOAD_BUCKET"
                                 " is not set" % (size, INLINE_LIMIT))
        key = PAYLOAD_PREFIX + name
        try:
            s3().put_object(Bucket=PAYLOAD_BUCKET, Key=key, Body=body.encode("utf-8", "replace"),
                            ContentType="application/json" if REQUIRE_JSON else "text/plain; charset=utf-8")
        except Exception as e:  # noqa: BLE001 - retryable: SQS redelivers the record
            return "failed", "S3 PutObject %s/%s failed: %r" % (PAYLOAD_BUCKET, key, e)
        event = "s3://%s/%s" % (PAYLOAD_BUCKET, key)
    payload = json.dumps({"eventSourceARN": arn, "queueName": queue_name(arn), "messageId": message_id,
                          "parameters": {"event": event}}, ensure_ascii=False, separators=(",", ":"))
    try:
        try:
            SFN.start_execution(stateMachineArn=STATE_MACHINE_ARN, name=name, input=payload)
            return "started", None
        except SFN.exceptions.ExecutionAlreadyExists:
            existing = SFN.describe_execution(executionArn=EXECUTION_ARN_PREFIX + name)["input"]
            if existing == payload:
                return "duplicate", "execution already exists (redelivery)"
            try:
                other = json.loads(existing)
            except ValueError:
                other = {}
            other = other if isinstance(other, dict) else {}
            if other.get("messageId") == message_id and other.get("eventSourceARN") == arn:
                return "duplicate", "execution already exists for this message with a differently shaped input"
            return "permanent", ("execution name collision: %s already belongs to messageId=%s eventSourceARN=%s"
                                 % (name, other.get("messageId"), other.get("eventSourceARN")))
    except ClientError as e:
        code, status = error_code(e), e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in PERMANENT:
            return "permanent", str(e)
        if code in BATCH_WIDE or status in (401, 403):
            batch_error.append(str(e))
        return "failed", str(e)
    except EndpointConnectionError as e:
        batch_error.append(str(e))
        return "failed", str(e)
    except Exception as e:  # noqa: BLE001 - anything else: report the record as failed
        return "failed", "unexpected %r" % e


def handler(event, context):
    records = (event or {}).get("Records") or []
    batch_error = []  # list.append is atomic: the first batch-wide error stops the rest
    outcomes = list(POOL.map(lambda r: start(r, batch_error), records))
    failed = []
    for record, (kind, reason) in zip(records, outcomes):
        if kind in ("failed", "permanent"):
            failed.append(record.get("messageId"))
            log("ERROR", "record_failed", messageId=record.get("messageId"),
                eventSourceARN=record.get("eventSourceARN"), executionName=execution_name(record.get("messageId")),
                permanent=kind == "permanent", reason=reason)
        elif kind == "duplicate":
            log("INFO", "record_duplicate", messageId=record.get("messageId"), reason=reason)
    log("WARN" if failed else "INFO", "batch_done", records=len(records), failed=len(failed))
    return {"batchItemFailures": [{"itemIdentifier": m} for m in failed]}


def sqs_event(prefix, n, queue_arn):
    """The same batch as the Java probe's (dev.hsipipeline.bench.probe.ColdTrigger.event)."""
    return {"Records": [{"messageId": "%s-%d" % (prefix, i), "receiptHandle": "rh-%s-%d" % (prefix, i),
                         "body": '{"scene":"s3://hsi-data/scenes/bench-%d.hdr","seq":%d}' % (i, i),
                         "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": "us-east-1"}
                        for i in range(n)]}


def result(**fields):
    print("RESULT " + json.dumps(fields), flush=True)


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    if mode == "cold" and len(argv) == 5:
        prefix, n, arn = argv[2], int(argv[3]), argv[4]
        t1 = time.perf_counter()
        r = handler(sqs_event(prefix, n, arn), None)
        t2 = time.perf_counter()
        result(initMs=(t1 - T0) * 1e3, invokeMs=(t2 - t1) * 1e3, records=n, failures=len(r["batchItemFailures"]))
        return 0 if not r["batchItemFailures"] else 3
    if mode == "warm" and len(argv) == 7:
        prefix, batches, size, warmup, arn = argv[2], int(argv[3]), int(argv[4]), int(argv[5]), argv[6]
        for b in range(warmup):
            handler(sqs_event("%s-w%d" % (prefix, b), size, arn), None)
        t1 = time.perf_counter()
        failures = 0
        for b in range(batches):
            failures += len(handler(sqs_event("%s-m%d" % (prefix, b), size, arn), None)["batchItemFailures"])
        t2 = time.perf_counter()
        result(recordsPerSecond=batches * size / (t2 - t1), records=batches * size, failures=failures)
        return 0 if failures == 0 else 3
    if mode == "event" and len(argv) == 3:
        with open(argv[2], encoding="utf-8") as f:
            r = handler(json.load(f), None)
        result(**r)
        return 0  # a partial batch response is a normal answer, as on Lambda
    print("usage: trigger_boto3.py cold <prefix> <records> <queue-arn>\n"
          "       trigger_boto3.py warm <prefix> <batches> <batch-size> <warmup-batches> <queue-arn>\n"
          "       trigger_boto3.py event <sqs-event.json>", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
