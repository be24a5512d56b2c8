#!/usr/bin/env bash
# Trigger cold path: a fresh JVM handling one 10-record batch against the local Step Functions
# API (own JVM), wall time and max RSS via /usr/bin/time -v; the boto3 equivalent when importable.
#   bench/trigger/cold.sh [runs=5]
source "$(dirname "$0")/common.sh"
RUNS="${1:-5}"
EVENT="$MOD/src/test/resources/sqs/ten-records.json"
start_sfn
export STATE_MACHINE_ARN="$stateMachineArn" AWS_ENDPOINT_URL_SFN="$endpoint" AWS_REGION=us-east-1 \
  AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test PAYLOAD_BUCKET=hsi-data
measure() {  # label, command...
  local label=$1; shift
  for i in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" 2>"$OUT/time.txt" >/dev/null || { cat "$OUT/time.txt"; echo "$label run failed"; exit 1; }
    wall=$(grep "Elapsed (wall clock)" "$OUT/time.txt" | awk '{print $NF}')
    rss=$(grep "Maximum resident set size" "$OUT/time.txt" | awk '{print $NF}')
    detail=$(grep '"bench"' "$OUT/time.txt" || true)
    echo "$label run $i: wall $wall  maxRSS ${rss} KB  $detail"
  done
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cpus: $(nproc)"
measure "java (default JIT)      " "$JAVA" -cp "$MOD/target/sfn-trigger.jar:$MOD/target/test-classes" \
  dev.hsipipeline.trigger.bench.ColdStartMain "$EVENT" --fresh-ids
measure "java TieredStopAtLevel=1" "$JAVA" -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto \
  -cp "$MOD/target/sfn-trigger.jar:$MOD/target/test-classes" dev.hsipipeline.trigger.bench.ColdStartMain "$EVENT" --fresh-ids
if python3 -c "import boto3" 2>/dev/null; then
  measure "python boto3 $(python3 -c 'import boto3;print(boto3.__version__)')    " python3 "$ROOT/bench/trigger/python_handler.py" "$EVENT" --fresh-ids
else
  echo "boto3 is not importable here: Python comparison skipped"
fi
