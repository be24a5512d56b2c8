#!/usr/bin/env bash
# Processor throughput benchmark (issue 5): stats + ndi on synthetic int16 BIL scenes in LocalS3,
# next to a plain sequential GET of the same object and a memory copy of the same size.
#   bench/processor/run.sh [--sizes 512x512x224,512x1024x224] [--repeat 3] [--threads N]
# Writes bench/processor/results/latest.md as well as printing the table.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    v="$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1)"
    if [[ -n "$v" && "$v" -ge 21 && -x "$d/bin/javac" ]]; then export JAVA_HOME="$d"; break; fi
  done
fi
[[ -n "${JAVA_HOME:-}" ]] || { echo "run.sh: needs a JDK 21+ (set JAVA_HOME)" >&2; exit 3; }

MVN=("$ROOT/mvnw" -B -q --no-transfer-progress)
# Build the processor jar (+ lib/) and the bench class (test sources) and their dependencies.
"${MVN[@]}" -pl batch/processor -am install -DskipTests
CP_FILE="$(mktemp)"
"${MVN[@]}" -f batch/processor/pom.xml dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
CP="batch/processor/target/test-classes:batch/processor/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
mkdir -p bench/processor/results
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$CP" dev.hsipipeline.processor.bench.ProcessorBench \
  --jar batch/processor/target/processor.jar --out bench/processor/results/latest.md "$@"
