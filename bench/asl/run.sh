#!/usr/bin/env bash
# Side-by-side benchmark: our ASL interpreter (Java, in-process) vs the npm package
# aws-local-stepfunctions, on the rendered statemachine/pipeline.asl.json with a no-op task.
# Usage: bench/asl/run.sh [seconds]   (needs JDK 21+ and Node 20+; installs the npm package here)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seconds="${1:-5}"
# SerialGC: on a small, busy 2-core box G1's concurrent threads compete with the measured thread
# and make 1-second windows swing 10x; override with JAVA_BENCH_OPTS=-XX:+UseG1GC to compare.
java_opts="${JAVA_BENCH_OPTS:--XX:+UseSerialGC}"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME

cd "$repo"
# -f on the module alone: the bench does not depend on the rest of the reactor building.
./mvnw -B -q -f local/stepfunctions/pom.xml test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp 2>&1 | grep -E '^\[ERROR\]' && exit 1
mod="$repo/local/stepfunctions"
cp="$mod/target/classes:$mod/target/test-classes:$(cat "$mod/target/bench.cp")"

# Render the template once, the same way the Java bench does, for the Node side.
rendered="$(mktemp --suffix=.json)"
trap 'rm -f "$rendered"' EXIT
sed -e 's#${activator_queue_arn}#arn:aws:sqs:us-east-1:000000000000:activator-queue#g' \
    -e 's#${processor_queue_arn}#arn:aws:sqs:us-east-1:000000000000:processor-queue#g' \
    -e 's#${job_queue_arn}#arn:aws:batch:us-east-1:000000000000:job-queue/pipeline#g' \
    -e 's#${activator_job_definition_arn}#arn:aws:batch:us-east-1:000000000000:job-definition/activator:1#g' \
    -e 's#${processor_job_definition_arn}#arn:aws:batch:us-east-1:000000000000:job-definition/processor:1#g' \
    -e 's#${activator_vcpu}#1#g; s#${activator_memory_mib}#2048#g; s#${processor_vcpu}#2#g; s#${processor_memory_mib}#4096#g' \
    statemachine/pipeline.asl.json > "$rendered"

[ -d "$here/node_modules/aws-local-stepfunctions" ] || (cd "$here" && npm install --no-audit --no-fund >/dev/null)

# Alternate the two sides for a few rounds so both see the same machine load.
best_java=0; best_node=0; med_java=0; med_node=0
for round in 1 2 3; do
  java_out="$("$JAVA_HOME/bin/java" $java_opts -cp "$cp" dev.hsipipeline.local.sfn.asl.bench.InterpreterBench statemachine/pipeline.asl.json "$seconds" 2>/dev/null | grep '^RESULT')"
  node_out="$(cd "$here" && node bench.mjs "$rendered" "$seconds" | grep '^RESULT')"
  echo "== round $round: Java interpreter (in-process) | aws-local-stepfunctions (Node $(node --version)); load $(cut -d' ' -f1 /proc/loadavg)"
  echo "$java_out"; echo "$node_out"
  jb="$(echo "$java_out" | awk '$2=="pipeline_with_history_exec_per_s_best"{print $3}')"
  jm="$(echo "$java_out" | awk '$2=="pipeline_with_history_exec_per_s_median"{print $3}')"
  nb="$(echo "$node_out" | awk '$2 ~ /_best$/{print $3}')"
  nm="$(echo "$node_out" | awk '$2 ~ /_median$/{print $3}')"
  best_java=$(( jb > best_java ? jb : best_java )); best_node=$(( nb > best_node ? nb : best_node ))
  med_java=$(( jm > med_java ? jm : med_java )); med_node=$(( nm > med_node ? nm : med_node ))
done
echo "== summary (Java $java_opts, history recorded; Node's package keeps its own event log)"
echo "RESULT java_exec_per_s_best $best_java"
echo "RESULT node_exec_per_s_best $best_node"
awk -v j="$best_java" -v n="$best_node" 'BEGIN { printf "RESULT ratio_best %.1fx\n", j / n }'
awk -v j="$med_java" -v n="$med_node" 'BEGIN { printf "RESULT ratio_median %.1fx\n", j / n }'
echo "(machine load: $(cut -d' ' -f1-3 /proc/loadavg))"
