#!/usr/bin/env bash
# Benchmark 5 alone: the real processor.jar in a fresh JVM (the job definition's flags and limits)
# against a plain S3 GET of the same object in a fresh JVM, paired, plus warm engine figures,
# memory copy and peak RSS for two scene sizes — through ./pipeline bench, the one implementation
# (bench/src/main/java/dev/hsipipeline/bench/internal/ProcessorBench.java).
# Usage: bench/processor/run.sh [--quick] [--runs N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/../../pipeline" bench --only processor "$@"
