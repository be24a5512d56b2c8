package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.StackSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * {@code pipeline demo}: the whole pipeline once, end to end, in this process — start the stack,
 * upload a synthetic scene, send the activator message, watch the activator execution and the
 * processor execution it causes succeed, check that an unknown source ends in FailureState, print a
 * summary, stop. Exit 0 only if all of that happened.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the pipeline locally once, end to end, and check the outcome (exit 0 = all good).")
final class DemoCommand implements Callable<Integer> {
  @ParentCommand PipelineCli parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Give up after this long. Default: ${DEFAULT-VALUE}")
  int timeoutSeconds = 300;

  @Option(
      names = "--samples",
      paramLabel = "N",
      description =
          "Scene pixels per line. Default: ${DEFAULT-VALUE} (more than one 512 px tile, so the"
              + " COGs get an overview level)")
  int samples = 600;

  @Option(
      names = "--lines",
      paramLabel = "N",
      description = "Scene lines. Default: ${DEFAULT-VALUE}")
  int lines = 540;

  @Option(
      names = "--bands",
      paramLabel = "N",
      description = "Scene bands. Default: ${DEFAULT-VALUE}")
  int bands = 48;

  @Option(names = "--verbose", description = "Also show the stack's log lines.")
  boolean verbose;

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Tracked(
      String arn,
      String name,
      String source,
      String status,
      Instant start,
      Instant stop,
      String error,
      String cause,
      String jobId) {}

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 10) {
      throw new IllegalArgumentException("--timeout must be at least 10 seconds");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!verbose) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.hsipipeline"))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    Path demoDir = parent.dataDir().resolve("demo");
    deleteRecursively(demoDir);
    StackSettings s = parent.settings().withDataDir(demoDir);
    int sqsPort = Ports.freeOrEphemeral(out, s.host(), s.sqsPort(), "SQS");
    int s3Port = Ports.freeOrEphemeral(out, s.host(), s.s3Port(), "S3");
    int sfnPort = Ports.freeOrEphemeral(out, s.host(), s.sfnPort(), "Step Functions/console");
    s = s.withPorts(sqsPort, s3Port, sfnPort);

    out.println("Starting the local stack (data dir " + demoDir + ") ...");
    out.flush();
    // Before the function loads: it may keep a reference to System.out from its init.
    Path functionLog = verbose ? null : FunctionLogs.redirect(demoDir);
    long t0 = System.nanoTime();
    try (LocalStack stack = LocalStack.start(s).closeOnShutdown()) {
      out.printf(
          "Stack up in %.1f s: console %s, Step Functions %s, SQS %s, S3 %s%n",
          (System.nanoTime() - t0) / 1e9,
          stack.consoleUrl(),
          stack.sfnEndpoint(),
          stack.sqsEndpoint(),
          stack.s3Endpoint());
      if (functionLog != null) {
        out.println("Trigger Lambda log: " + functionLog);
      }
      Progress progress = new Progress(out);
      stack.stepFunctions().addListener(progress);
      stack.batch().addListener(progress);
      try (S3Client s3 =
              S3Client.builder()
                  .endpointOverride(stack.s3Endpoint())
                  .forcePathStyle(true)
                  .region(Region.of(s.region()))
                  .credentialsProvider(LocalStack.credentials())
                  .httpClient(UrlConnectionHttpClient.create())
                  .build();
          SfnClient sfn =
              SfnClient.builder()
                  .endpointOverride(stack.sfnEndpoint())
                  .region(Region.of(s.region()))
                  .credentialsProvider(LocalStack.credentials())
                  .httpClient(UrlConnectionHttpClient.create())
                  .build()) {
        return run(out, stack, s3, sfn);
      }
    }
  }

  private int run(PrintWriter out, LocalStack stack, S3Client s3, SfnClient sfn) throws Exception {
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
    SyntheticScene scene =
        SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(samples, lines, bands));
    SyntheticScene.Uploaded up =
        scene.upload(s3, stack.settings().dataBucket(), "scenes/demo/scene-" + stamp);
    out.printf(
        "Sample scene: %s (%d x %d x %d, %.1f MB, %s)%n",
        up.headerUri(),
        samples,
        lines,
        bands,
        up.dataBytes() / 1e6,
        scene.spec().placement().description());

    String body = JSON.createObjectNode().put("scene", up.headerUri()).toString();
    String messageId =
        stack
            .sqsClient()
            .sendMessage(b -> b.queueUrl(stack.queueUrl("activator")).messageBody(body))
            .messageId();
    out.println("Sent " + body + " to the activator queue (MessageId " + messageId + ")");

    String unknownName = "demo-unknown-source-" + stamp;
    String unknownArn =
        "arn:aws:sqs:"
            + stack.settings().region()
            + ":"
            + stack.settings().accountId()
            + ":no-such-queue";
    String unknownInput =
        JSON.createObjectNode()
            .put("eventSourceARN", unknownArn)
            .put("queueName", "no-such-queue")
            .put("messageId", unknownName)
            .set("parameters", JSON.createObjectNode().put("event", "{}"))
            .toString();
    out.println(
        "Starting "
            + unknownName
            + " with eventSourceARN "
            + unknownArn
            + " (must end in FailureState)");
    out.println();
    out.flush();
    sfn.startExecution(
        b -> b.stateMachineArn(stack.stateMachineArn()).name(unknownName).input(unknownInput));

    String activatorArn = stack.queueArn("activator");
    String processorArn = stack.queueArn("processor");
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    Map<String, Tracked> seen = new LinkedHashMap<>();
    Map<String, String> sourceByArn = new HashMap<>();
    String failure = null;
    while (true) {
      for (ExecutionListItem e :
          sfn.listExecutions(b -> b.stateMachineArn(stack.stateMachineArn()).maxResults(100))
              .executions()) {
        Tracked prev = seen.get(e.executionArn());
        if (prev != null && !prev.status().equals("RUNNING")) {
          continue;
        }
        DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(e.executionArn()));
        String source =
            sourceByArn.computeIfAbsent(
                e.executionArn(),
                k -> {
                  String src =
                      DescribeCommand.parse(JSON, d.input()).path("eventSourceARN").asText("");
                  return src.equals(activatorArn)
                      ? "activator"
                      : src.equals(processorArn) ? "processor" : "unknown (" + src + ")";
                });
        String jobId =
            DescribeCommand.parse(JSON, d.output()).path("job").path("JobId").asText(null);
        if (jobId == null && d.cause() != null) {
          jobId = DescribeCommand.parse(JSON, d.cause()).path("JobId").asText(null);
        }
        seen.put(
            e.executionArn(),
            new Tracked(
                e.executionArn(),
                e.name(),
                source,
                d.statusAsString(),
                d.startDate(),
                d.stopDate(),
                d.error(),
                d.cause(),
                jobId));
      }
      Tracked activator = first(seen, "activator");
      Tracked processor = first(seen, "processor");
      Tracked unknown =
          seen.values().stream().filter(t -> t.name().equals(unknownName)).findFirst().orElse(null);
      for (Tracked t : seen.values()) {
        if (!t.source().startsWith("unknown") && isTerminal(t) && !t.status().equals("SUCCEEDED")) {
          failure =
              "the "
                  + t.source()
                  + " execution "
                  + t.name()
                  + " ended "
                  + t.status()
                  + ": "
                  + t.error()
                  + (t.cause() != null ? " — " + Table.oneLine(t.cause()) : "");
          LogsCommand.printLastLines(out, stack.dataDir(), t.jobId(), 20);
        }
      }
      if (unknown != null && isTerminal(unknown) && !unknown.status().equals("FAILED")) {
        failure = "the unknown-source execution ended " + unknown.status() + " instead of FAILED";
      }
      if (failure != null) {
        break;
      }
      if (ok(activator) && ok(processor) && unknown != null && isTerminal(unknown)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        failure =
            "timed out after "
                + timeoutSeconds
                + " s waiting for: "
                + (ok(activator) ? "" : "the activator execution to succeed; ")
                + (ok(processor) ? "" : "the processor execution to succeed; ")
                + (unknown != null && isTerminal(unknown)
                    ? ""
                    : "the unknown-source execution to end");
        break;
      }
      Thread.sleep(250);
    }

    if (failure == null) {
      failure =
          checkFailureState(
              sfn,
              seen.values().stream()
                  .filter(t -> t.name().equals(unknownName))
                  .findFirst()
                  .orElseThrow());
    }

    out.println();
    Table t = new Table("EXECUTION", "SOURCE", "STATUS", "DURATION", "JOB ID", "ERROR");
    List<Tracked> rows = new ArrayList<>(seen.values());
    rows.sort(Comparator.comparing(Tracked::start));
    for (Tracked r : rows) {
      t.row(
          r.name(),
          r.source(),
          r.status(),
          r.stop() == null ? "-" : Progress.seconds(Duration.between(r.start(), r.stop())),
          r.jobId(),
          r.error());
    }
    t.print(out);
    out.println();
    String bucket = stack.settings().dataBucket();
    RasterSummary.printBucket(s3, bucket, List.of("activated/", "products/"), out);
    List<String> problems = CatalogReport.print(s3, bucket, out);
    if (failure == null && !problems.isEmpty())
      failure = "the STAC catalog has " + problems.size() + " problem(s), listed above";
    if (failure != null) {
      out.println("demo FAILED: " + failure);
      out.println("Job logs and history stay in " + stack.dataDir());
      out.flush();
      return 1;
    }
    out.println(
        "demo OK: activator and processor executions SUCCEEDED, the unknown source ended FAILED"
            + " in FailureState, and a STAC reader walks the catalog to every asset.");
    out.flush();
    return 0;
  }

  private static Tracked first(Map<String, Tracked> seen, String source) {
    Tracked pick = null;
    for (Tracked t : seen.values()) {
      if (t.source().equals(source)) {
        if (ok(t)) {
          return t;
        }
        if (pick == null) {
          pick = t;
        }
      }
    }
    return pick;
  }

  private static boolean ok(Tracked t) {
    return t != null && t.status().equals("SUCCEEDED");
  }

  private static boolean isTerminal(Tracked t) {
    return !t.status().equals("RUNNING") && !t.status().equals("PENDING_REDRIVE");
  }

  /** The unknown source must fail with DefaultStateError after entering FailureState. */
  private static String checkFailureState(SfnClient sfn, Tracked unknown) {
    if (!"DefaultStateError".equals(unknown.error())) {
      return "the unknown-source execution failed with "
          + unknown.error()
          + " instead of DefaultStateError";
    }
    List<HistoryEvent> events =
        sfn.getExecutionHistory(b -> b.executionArn(unknown.arn()).maxResults(1000)).events();
    boolean enteredFailureState =
        events.stream()
            .anyMatch(
                e ->
                    e.stateEnteredEventDetails() != null
                        && "FailureState".equals(e.stateEnteredEventDetails().name()));
    return enteredFailureState ? null : "the unknown-source execution never entered FailureState";
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
