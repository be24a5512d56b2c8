#!/usr/bin/env bash
# Trigger warm-path profile (the trigger owner's tool, docs/adr/0090): one handler instance reused
# across large batches (10 000 records by default) into a local Step Functions API in its OWN JVM,
# reporting records/s and CPU µs per record for the client and the server separately. Benchmark 2
# of ./pipeline bench (--only warm) is the side-by-side comparison with the boto3 peer at the real
# batch size of 10; this script answers "where does the CPU go", which that one does not.
#   bench/trigger/warm.sh [extra WarmThroughputBench args]      REBUILD=1 to rebuild the module first
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MOD="$ROOT/lambdas/sfn-trigger"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then JAVA_HOME="$d"; break; fi
  done
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
OUT="$MOD/target/bench"
mkdir -p "$OUT"
if [ ! -d "$MOD/target/test-classes/dev/hsipipeline/trigger/bench" ] || [ "${REBUILD:-0}" = 1 ]; then
  (cd "$ROOT" && ./mvnw -B -q -f lambdas/sfn-trigger/pom.xml test-compile)
fi
if [ ! -f "$OUT/test-classpath.txt" ] || [ "${REBUILD:-0}" = 1 ]; then
  (cd "$ROOT" && ./mvnw -B -q -f lambdas/sfn-trigger/pom.xml dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$OUT/test-classpath.txt" >/dev/null)
fi
TEST_CP="$MOD/target/test-classes:$MOD/target/classes:$(cat "$OUT/test-classpath.txt")"

# The local Step Functions API in its own JVM, so client and server CPU can be told apart.
rm -f "$OUT/sfn.info"
"$JAVA" -cp "$TEST_CP" dev.hsipipeline.trigger.bench.LocalSfnServerMain --info "$OUT/sfn.info" >"$OUT/sfn-server.log" 2>&1 &
SFN_PID=$!
trap 'kill $SFN_PID 2>/dev/null || true' EXIT
for _ in $(seq 240); do [ -f "$OUT/sfn.info" ] && break; sleep 0.25; done
[ -f "$OUT/sfn.info" ] || { cat "$OUT/sfn-server.log"; echo "local Step Functions server did not start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$OUT/sfn.info"   # sets endpoint and stateMachineArn

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cpus: $(nproc)"
/usr/bin/time -f "client process: %e s wall, %U s user, %S s sys, max RSS %M KB" \
  "$JAVA" -cp "$TEST_CP" dev.hsipipeline.trigger.bench.WarmThroughputBench \
  --endpoint "$endpoint" --state-machine-arn "$stateMachineArn" --server-pid "$SFN_PID" "$@"
awk '{printf "server process: %.1f s user, %.1f s sys\n", $14/100, $15/100}' "/proc/$SFN_PID/stat"
