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
import java.util.Comparator;
import java.util.List;
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
    sendActivatorMessage(out, stack, s3, stamp);
    String unknownName = startUnknownSource(out, stack, sfn, stamp);
    DemoWatch watch =
        new DemoWatch(
            sfn,
            stack.stateMachineArn(),
            stack.queueArn("activator"),
            stack.queueArn("processor"),
            unknownName,
            stack.dataDir());
    String failure = watch.await(Duration.ofSeconds(timeoutSeconds), out);

    out.println();
    printExecutions(out, watch.executions());
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

  /** Uploads a synthetic scene and sends its activator message. */
  private void sendActivatorMessage(PrintWriter out, LocalStack stack, S3Client s3, String stamp) {
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
  }

  /** Starts an execution whose source is no pipeline queue; returns its name. */
  private static String startUnknownSource(
      PrintWriter out, LocalStack stack, SfnClient sfn, String stamp) {
    String name = "demo-unknown-source-" + stamp;
    String arn =
        "arn:aws:sqs:"
            + stack.settings().region()
            + ":"
            + stack.settings().accountId()
            + ":no-such-queue";
    String input =
        JSON.createObjectNode()
            .put("eventSourceARN", arn)
            .put("queueName", "no-such-queue")
            .put("messageId", name)
            .set("parameters", JSON.createObjectNode().put("event", "{}"))
            .toString();
    out.println("Starting " + name + " with eventSourceARN " + arn + " (must end in FailureState)");
    out.println();
    out.flush();
    sfn.startExecution(b -> b.stateMachineArn(stack.stateMachineArn()).name(name).input(input));
    return name;
  }

  private static void printExecutions(PrintWriter out, List<DemoWatch.Tracked> executions) {
    Table t = new Table("EXECUTION", "SOURCE", "STATUS", "DURATION", "JOB ID", "ERROR");
    for (DemoWatch.Tracked r : executions) {
      t.row(
          r.name(),
          r.source(),
          r.status(),
          r.stop() == null ? "-" : Progress.seconds(Duration.between(r.start(), r.stop())),
          r.jobId(),
          r.error());
    }
    t.print(out);
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
