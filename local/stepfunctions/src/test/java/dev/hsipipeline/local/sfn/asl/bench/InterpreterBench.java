package dev.hsipipeline.local.sfn.asl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.AslDefinition;
import dev.hsipipeline.local.sfn.asl.AslInterpreter;
import dev.hsipipeline.local.sfn.asl.ExecutionContext;
import dev.hsipipeline.local.sfn.asl.ExecutionOutcome;
import dev.hsipipeline.local.sfn.asl.HistorySink;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Executions per second of the interpreter on the repository's pipeline definition with a no-op
 * task, in-process, plus a check that per-state cost does not grow with history length.
 *
 * <p>Usage: {@code java -cp ... InterpreterBench [pipeline.asl.json] [seconds]}. Prints one
 * {@code RESULT name value} line per figure so scripts (bench/asl/run.sh) can compare.
 */
public final class InterpreterBench {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String ACTIVATOR_ARN = "arn:aws:sqs:us-east-1:000000000000:activator-queue";
  static final String PROCESSOR_ARN = "arn:aws:sqs:us-east-1:000000000000:processor-queue";

  /** A history store like the API's in-memory tail: appends events, assigns ids. */
  static final class ListHistory implements HistorySink {
    final List<Object[]> events = new ArrayList<>(16);

    @Override
    public synchronized long record(String type, ObjectNode details, long previousEventId) {
      events.add(new Object[] {type, details, previousEventId});
      return events.size() + 1;
    }
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "../../statemachine/pipeline.asl.json");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    AslDefinition definition = AslDefinition.parse(render(Files.readString(file)));
    AslInterpreter interpreter = new AslInterpreter();

    ObjectNode batchResult = MAPPER.createObjectNode();
    batchResult.put("JobId", "job-1").put("JobName", "activator").put("Status", "SUCCEEDED")
        .put("StatusReason", "Essential container in task exited").put("JobQueue", "q");
    TaskInvoker noop = invocation -> batchResult;
    JsonNode[] inputs = {input(ACTIVATOR_ARN), input(PROCESSOR_ARN)};

    run("warmup", interpreter, definition, noop, inputs, Math.max(2, seconds / 2), true);
    // The machine is shared: measure 1-second windows and report the best (least disturbed)
    // and the median, for both variants alternately.
    List<Double> with = new ArrayList<>();
    List<Double> without = new ArrayList<>();
    for (int i = 0; i < Math.max(1, (int) seconds); i++) {
      with.add(run("with_history", interpreter, definition, noop, inputs, 1, true));
      without.add(run("no_history", interpreter, definition, noop, inputs, 1, false));
    }
    with.sort(null);
    without.sort(null);
    double best = with.get(with.size() - 1);
    System.out.printf("RESULT pipeline_with_history_exec_per_s_best %.0f%n", best);
    System.out.printf("RESULT pipeline_with_history_exec_per_s_median %.0f%n", with.get(with.size() / 2));
    System.out.printf("RESULT pipeline_no_history_exec_per_s_best %.0f%n", without.get(without.size() - 1));
    System.out.printf("RESULT pipeline_with_history_us_per_exec_best %.2f%n", 1e6 / best);
    historyLengthIndependence(interpreter);
  }

  private static double run(String name, AslInterpreter interpreter, AslDefinition definition,
      TaskInvoker tasks, JsonNode[] inputs, double seconds, boolean history) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    long n = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        ExecutionContext ctx = new ExecutionContext(
            "arn:aws:states:us-east-1:000000000000:execution:pipeline:e" + n, "e" + n, Instant.now(),
            "arn:aws:iam::000000000000:role/sfn", "arn:aws:states:us-east-1:000000000000:stateMachine:pipeline", "pipeline");
        ExecutionOutcome out = interpreter.execute(definition, inputs[(int) (n & 1)], ctx, tasks,
            history ? new ListHistory() : HistorySink.NONE);
        if (out.status() != ExecutionOutcome.Status.SUCCEEDED) {
          throw new IllegalStateException(name + ": " + out);
        }
        n++;
      }
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * One execution looping Pass → Choice 20 000 times (80 000+ history events): per-state cost
   * in the last window must match the first, i.e. nothing scans the history.
   */
  private static void historyLengthIndependence(AslInterpreter interpreter) throws Exception {
    int loops = 20_000;
    String def = """
        {"StartAt": "Inc", "States": {
          "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Loop"},
          "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": %d, "Next": "Inc"}], "Default": "Done"},
          "Done": {"Type": "Succeed"}}}""".formatted(loops);
    AslDefinition definition = AslDefinition.parse(def);
    int window = 2_000;
    long[] stamps = new long[loops / window + 1];
    AtomicLong count = new AtomicLong();
    ListHistory inner = new ListHistory();
    HistorySink timing = (type, details, prev) -> {
      if (type.equals("SucceedStateEntered")) {
        stamps[stamps.length - 1] = System.nanoTime();
      } else if (type.equals("PassStateEntered")) {
        long c = count.getAndIncrement();
        if (c % window == 0) {
          stamps[(int) (c / window)] = System.nanoTime();
        }
      }
      return inner.record(type, details, prev);
    };
    for (int warm = 0; warm < 2; warm++) {
      count.set(0);
      inner.events.clear();
      interpreter.execute(definition, MAPPER.readTree("{\"i\": 0}"), new ExecutionContext(
          "arn:aws:states:us-east-1:000000000000:execution:loop:l", "l", Instant.now(), null, null, null),
          (invocation) -> null, timing);
    }
    // Median per-iteration cost of the first half of the windows vs the second half: robust to
    // a busy machine, and it would double if anything scanned the (growing) history.
    int windows = stamps.length - 1;
    double[] cost = new double[windows];
    for (int i = 0; i < windows; i++) {
      cost[i] = (stamps[i + 1] - stamps[i]) / 1e3 / window;
    }
    double early = median(java.util.Arrays.copyOfRange(cost, 0, windows / 2));
    double late = median(java.util.Arrays.copyOfRange(cost, windows - windows / 2, windows));
    System.out.printf("RESULT loop_events_in_history %d%n", inner.events.size());
    System.out.printf("RESULT loop_us_per_iteration_early_median %.2f%n", early);
    System.out.printf("RESULT loop_us_per_iteration_late_median %.2f%n", late);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v[v.length / 2];
  }

  static JsonNode input(String source) {
    ObjectNode in = MAPPER.createObjectNode();
    in.put("eventSourceARN", source);
    in.put("queueName", "q");
    in.put("messageId", "msg-1");
    in.putObject("parameters").put("event", "{\"scene\":\"s3://hsi-data/scenes/a.hdr\"}");
    return in;
  }

  /** Fills the Terraform placeholders the way the local stack does. */
  static String render(String template) {
    Map<String, String> values = Map.of(
        "activator_queue_arn", ACTIVATOR_ARN, "processor_queue_arn", PROCESSOR_ARN,
        "job_queue_arn", "arn:aws:batch:us-east-1:000000000000:job-queue/pipeline",
        "activator_job_definition_arn", "arn:aws:batch:us-east-1:000000000000:job-definition/activator:1",
        "processor_job_definition_arn", "arn:aws:batch:us-east-1:000000000000:job-definition/processor:1",
        "activator_vcpu", "1", "activator_memory_mib", "2048", "processor_vcpu", "2", "processor_memory_mib", "4096");
    String out = template;
    for (Map.Entry<String, String> e : values.entrySet()) {
      out = out.replace("${" + e.getKey() + "}", e.getValue());
    }
    return out;
  }
}
