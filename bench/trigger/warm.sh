#!/usr/bin/env bash
# Trigger warm-path profile (the trigger owner's tool, docs/adr/0090): one handler instance from the
# deployable jar reused across large batches (10 000 records by default) into a local Step Functions
# API in its OWN JVM, reporting records/s and CPU µs per record for the client and the server
# separately. Benchmark 2 of ./pipeline bench (--only warm) is the side-by-side comparison with the
# boto3 peer at the real batch size of 10; this script answers "where does the CPU go".
#   bench/trigger/warm.sh [--batches N] [--batch-size N] [--warmup-batches N] [--concurrency N]
# Builds with ./pipeline build when the bench or trigger artifacts are missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case "${1:-}" in
  -h|--help) sed -n '2,8p' "$0" | cut -c3-; exit 0 ;;
esac
BENCH="$ROOT/bench/target"
TRIGGER="$ROOT/lambdas/sfn-trigger/target/sfn-trigger.jar"
if [[ ! -d "$BENCH/classes" || ! -d "$BENCH/lib" || ! -f "$TRIGGER" ]]; then "$ROOT/pipeline" build; fi
JAVA_HOME="$("$ROOT/pipeline" --java-home)"
JAVA="$JAVA_HOME/bin/java"
OUT="$BENCH/warm-profile"
mkdir -p "$OUT"

# The local Step Functions API in its own JVM, so client and server CPU can be told apart.
rm -f "$OUT/sfn.info"
"$JAVA" -cp "$BENCH/classes:$BENCH/lib/*" dev.hsipipeline.bench.profile.SfnServer --info "$OUT/sfn.info" \
  >"$OUT/sfn-server.log" 2>&1 &
SFN_PID=$!
trap 'kill $SFN_PID 2>/dev/null || true' EXIT
for _ in $(seq 240); do [[ -f "$OUT/sfn.info" ]] && break; sleep 0.25; done
[[ -f "$OUT/sfn.info" ]] || { cat "$OUT/sfn-server.log"; echo "local Step Functions server did not start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$OUT/sfn.info"   # sets endpoint and stateMachineArn

# The client: the deployable jar first (the handler and its SDK as Lambda loads them), then only
# the profile's own classes and picocli.
PICOCLI="$(ls "$BENCH"/lib/picocli-*.jar)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cpus: $(nproc)"
/usr/bin/time -f "client process: %e s wall, %U s user, %S s sys, max RSS %M KB" \
  "$JAVA" -cp "$TRIGGER:$BENCH/classes:$PICOCLI" dev.hsipipeline.bench.profile.TriggerWarmProfile \
  --endpoint "$endpoint" --state-machine-arn "$stateMachineArn" --server-pid "$SFN_PID" "$@"
awk '{printf "server process: %.1f s user, %.1f s sys\n", $14/100, $15/100}' "/proc/$SFN_PID/stat"
