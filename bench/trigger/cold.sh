#!/usr/bin/env bash
# Benchmark 1 alone: the trigger's cold start (fresh process, init + one 10-record batch against a
# local Step Functions API) — the deployable jar with default flags, C1, AppCDS and the JDK 25 AOT
# cache, side by side with the Python boto3 peer bench/peers/trigger_boto3.py. A shortcut for
# ./pipeline bench --only cold (bench/README.md, section 1).
#   bench/trigger/cold.sh [runs=5] [more ./pipeline bench options, e.g. --out DIR]
set -euo pipefail
case "${1:-}" in
  -h|--help) sed -n '2,6p' "$0" | cut -c3-; exit 0 ;;
esac
runs=5
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then runs=$1; shift; fi
exec "$(dirname "$0")/../../pipeline" bench --only cold --runs "$runs" "$@"
