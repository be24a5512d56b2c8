# Shared by the trigger benchmarks: JDK, build, test class path, local Step Functions server.
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
if [ ! -f "$MOD/target/sfn-trigger.jar" ] || [ ! -d "$MOD/target/test-classes/dev/hsipipeline/trigger/bench" ] || [ "${REBUILD:-0}" = 1 ]; then
  (cd "$ROOT" && ./mvnw -B -q -f lambdas/sfn-trigger/pom.xml package -DskipTests)
fi
if [ ! -f "$OUT/test-classpath.txt" ]; then
  (cd "$ROOT" && ./mvnw -B -q -f lambdas/sfn-trigger/pom.xml dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/test-classpath.txt" >/dev/null)
fi
TEST_CP="$MOD/target/test-classes:$MOD/target/classes:$(cat "$OUT/test-classpath.txt")"

start_sfn() {  # starts the local Step Functions API in its own JVM; sets endpoint, stateMachineArn, SFN_PID
  rm -f "$OUT/sfn.info"
  "$JAVA" -cp "$TEST_CP" dev.hsipipeline.trigger.bench.LocalSfnServerMain --info "$OUT/sfn.info" >"$OUT/sfn-server.log" 2>&1 &
  SFN_PID=$!
  trap 'kill $SFN_PID 2>/dev/null || true' EXIT
  for _ in $(seq 240); do [ -f "$OUT/sfn.info" ] && break; sleep 0.25; done
  # shellcheck disable=SC1091
  . "$OUT/sfn.info"
}
