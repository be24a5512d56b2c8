#!/usr/bin/env bash
# Benchmark 1 alone: the trigger's cold start (fresh process, init + one 10-record batch against a
# local Step Functions API) — the deployable jar with default flags, C1, AppCDS and the JDK 25 AOT
# cache, side by side with the Python boto3 peer bench/peers/trigger_boto3.py. A shortcut for
# ./pipeline bench --only cold (bench/README.md, section 1).
#   bench/trigger/cold.sh [runs=5] [more ./pipeline bench options]
set -euo pipefail
runs="${1:-5}"
[ $# -gt 0 ] && shift
exec "$(dirname "$0")/../../pipeline" bench --only cold --runs "$runs" "$@"
