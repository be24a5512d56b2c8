#!/usr/bin/env bash
# Trigger warm throughput: records/s into the local Step Functions API (own JVM) with one handler
# instance reused across 10 000-record batches.  bench/trigger/warm.sh [extra WarmThroughputBench args]
source "$(dirname "$0")/common.sh"
start_sfn
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cpus: $(nproc)"
/usr/bin/time -f "client process: %e s wall, %U s user, %S s sys, max RSS %M KB" \
  "$JAVA" -cp "$TEST_CP" dev.hsipipeline.trigger.bench.WarmThroughputBench \
  --endpoint "$endpoint" --state-machine-arn "$stateMachineArn" "$@"
awk '{printf "server process: %.1f s user, %.1f s sys\n", $14/100, $15/100}' "/proc/$SFN_PID/stat"
