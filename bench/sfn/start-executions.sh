#!/usr/bin/env bash
# Local Step Functions API under load (docs/adr/0020): StartExecution/s through the real SDK client
# from N threads against a Pass-only state machine, H2 file store or in memory; latency
# percentiles, CPU per start, the database writer's backlog and how long the store takes to catch up.
#   bench/sfn/start-executions.sh [--threads 32] [--seconds 15] [--warmup-seconds 20] [--store file|memory]
# Builds with ./pipeline build when the bench artifacts are missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case "${1:-}" in
  -h|--help) sed -n '2,6p' "$0" | cut -c3-; exit 0 ;;
esac
BENCH="$ROOT/bench/target"
if [[ ! -d "$BENCH/classes" || ! -d "$BENCH/lib" ]]; then "$ROOT/pipeline" build; fi
JAVA_HOME="$("$ROOT/pipeline" --java-home)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cpus: $(nproc)"
exec "$JAVA_HOME/bin/java" -cp "$BENCH/classes:$BENCH/lib/*" dev.hsipipeline.bench.profile.StartExecutionLoad "$@"
