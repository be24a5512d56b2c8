#!/usr/bin/env bash
# Benchmark 3 alone: our ASL interpreter vs the npm package aws-local-stepfunctions on the rendered
# statemachine/pipeline.asl.json (no-op Batch task), side by side, through ./pipeline bench — the
# one implementation (bench/src/main/java/dev/hsipipeline/bench/internal/InterpreterBench.java).
# Installs the npm peer here first if it is missing.
# Usage: bench/asl/run.sh [--quick] [--runs N] [--out DIR]   (PIPELINE_JAVA_OPTS=-XX:+UseSerialGC for steadier
# windows on a busy 2-core box)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ -d "$here/node_modules/aws-local-stepfunctions" ] || (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
exec "$here/../../pipeline" bench --only interpreter "$@"
