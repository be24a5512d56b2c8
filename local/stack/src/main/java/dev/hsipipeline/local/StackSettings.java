package dev.hsipipeline.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the local stack needs to start: where the repository and the data dir are, which ports
 * to bind (0 = ephemeral, for tests) and the few knobs tests and benchmarks turn.
 *
 * <p>Build one with {@link #defaults(Path)} and the {@code with*} methods; the record is immutable.
 *
 * @param repoRoot the repository (holds {@code statemachine/}, {@code terraform/}, {@code batch/})
 * @param dataDir where S3 objects, execution history, job records and logs live
 * @param host the address every server binds (127.0.0.1: the stack is never exposed)
 * @param sqsPort ElasticMQ port (default 9324)
 * @param s3Port S3Proxy port (default 9000)
 * @param sfnPort Step Functions API and console port (default 8083)
 * @param region AWS region the stack pretends to be
 * @param accountId AWS account id used in ARNs
 * @param dataBucket the pipeline's bucket, created at start
 * @param queuesJson the queue and event-source settings ({@code terraform/queues.json})
 * @param stateMachineTemplate the ASL template ({@code statemachine/pipeline.asl.json})
 * @param jobsDir the folder holding {@code <job>/job-definition.json} and {@code
 *     <job>/target/<job>.jar}
 * @param triggerArtifact the trigger Lambda's deployable jar
 * @param triggerHandler the trigger's handler class
 * @param vcpuBudget vCPUs the Batch runner may hand out at once (jobs wait RUNNABLE beyond it)
 * @param batchSize event source mapping batch size, or 0 for {@code queues.json}'s
 * @param batchingWindowMillis event source mapping batching window, or -1 for {@code queues.json}'s
 * @param visibilityTimeoutSeconds overrides every queue's visibility timeout, or -1 to keep {@code
 *     queues.json}'s (tests use a short one to see redelivery and the DLQ quickly)
 * @param receiveWaitSeconds overrides the ESM's long-poll wait, or -1 for the queue's
 * @param policiesDir the IAM policy templates the stack enforces ({@code terraform/policies})
 */
public record StackSettings(
    Path repoRoot,
    Path dataDir,
    String host,
    int sqsPort,
    int s3Port,
    int sfnPort,
    String region,
    String accountId,
    String dataBucket,
    Path queuesJson,
    Path stateMachineTemplate,
    Path jobsDir,
    Path triggerArtifact,
    String triggerHandler,
    int vcpuBudget,
    int batchSize,
    long batchingWindowMillis,
    int visibilityTimeoutSeconds,
    int receiveWaitSeconds,
    Path policiesDir) {

  /** Default SQS (ElasticMQ) port. */
  public static final int DEFAULT_SQS_PORT = 9324;

  /** Default S3 (S3Proxy) port. */
  public static final int DEFAULT_S3_PORT = 9000;

  /** Default Step Functions API + console port. */
  public static final int DEFAULT_SFN_PORT = 8083;

  /** The state machine's name, as Terraform names it without prefix. */
  public static final String STATE_MACHINE_NAME = "hsi-pipeline";

  public StackSettings {
    Objects.requireNonNull(repoRoot, "repoRoot");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(policiesDir, "policiesDir");
    if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
      throw new IllegalArgumentException(
          "the local stack binds the loopback address only (127.0.0.1), not " + host);
    }
    checkPort("SQS", sqsPort);
    checkPort("S3", s3Port);
    checkPort("Step Functions", sfnPort);
    if (vcpuBudget < 1) {
      throw new IllegalArgumentException("vCPU budget must be >= 1, got " + vcpuBudget);
    }
    if (batchSize < 0 || batchSize > 10_000) {
      throw new IllegalArgumentException("batch size must be 1-10000 (0 = from queues.json)");
    }
  }

  private static void checkPort(String what, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " port must be 0-65535, got " + port);
    }
  }

  /** The repository's standard layout, default ports, data dir {@code <repo>/.pipeline}. */
  public static StackSettings defaults(Path repoRoot) {
    Path root = repoRoot.toAbsolutePath().normalize();
    return new StackSettings(
        root,
        root.resolve(".pipeline"),
        "127.0.0.1",
        DEFAULT_SQS_PORT,
        DEFAULT_S3_PORT,
        DEFAULT_SFN_PORT,
        "us-east-1",
        "000000000000",
        "hsi-data",
        root.resolve("terraform/queues.json"),
        root.resolve("statemachine/pipeline.asl.json"),
        root.resolve("batch"),
        root.resolve("lambdas/sfn-trigger/target/sfn-trigger.jar"),
        "dev.hsipipeline.trigger.SfnTriggerHandler",
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        0,
        -1,
        -1,
        -1,
        root.resolve("terraform/policies"));
  }

  /**
   * The repository root: {@code -Dpipeline.home} (set by {@code ./pipeline}), else the first folder
   * upward from the working directory that holds {@code statemachine/pipeline.asl.json}.
   *
   * @throws IllegalStateException when neither finds it
   */
  public static Path findRepoRoot() {
    String home = System.getProperty("pipeline.home");
    if (home != null && !home.isBlank()) {
      Path p = Path.of(home).toAbsolutePath().normalize();
      if (!Files.isRegularFile(p.resolve("statemachine/pipeline.asl.json"))) {
        throw new IllegalStateException(
            "-Dpipeline.home="
                + home
                + " is not the pipeline repository (no statemachine/pipeline.asl.json)");
      }
      return p;
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("statemachine/pipeline.asl.json"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the pipeline repository: run through ./pipeline, or from a folder inside the"
            + " repository, or set -Dpipeline.home=<repo>");
  }

  /** All three ports set to 0: the OS picks free ones (tests). */
  public StackSettings withEphemeralPorts() {
    return withPorts(0, 0, 0);
  }

  public StackSettings withPorts(int sqs, int s3, int sfn) {
    Copy c = new Copy(this);
    c.sqsPort = sqs;
    c.s3Port = s3;
    c.sfnPort = sfn;
    return c.build();
  }

  public StackSettings withDataDir(Path dir) {
    Copy c = new Copy(this);
    c.dataDir = dir.toAbsolutePath().normalize();
    return c.build();
  }

  public StackSettings withJobsDir(Path dir) {
    Copy c = new Copy(this);
    c.jobsDir = dir.toAbsolutePath().normalize();
    return c.build();
  }

  public StackSettings withVcpuBudget(int vcpus) {
    Copy c = new Copy(this);
    c.vcpuBudget = vcpus;
    return c.build();
  }

  /** Event source mapping batching: size (0 = queues.json) and window (-1 = queues.json). */
  public StackSettings withBatching(int size, long windowMillis) {
    Copy c = new Copy(this);
    c.batchSize = size;
    c.batchingWindowMillis = windowMillis;
    return c.build();
  }

  /**
   * Visibility timeout for every queue (-1 = queues.json) and ESM long-poll wait (-1 = queue's).
   */
  public StackSettings withQueueTiming(int visibilityTimeout, int receiveWait) {
    Copy c = new Copy(this);
    c.visibilityTimeoutSeconds = visibilityTimeout;
    c.receiveWaitSeconds = receiveWait;
    return c.build();
  }

  /** Enforces the IAM policy templates of another folder (tests of a changed policy). */
  public StackSettings withPoliciesDir(Path dir) {
    Copy c = new Copy(this);
    c.policiesDir = dir;
    return c.build();
  }

  /** Another build of the trigger function (a deployable jar) and its handler class. */
  public StackSettings withTrigger(Path artifact, String handler) {
    Copy c = new Copy(this);
    c.triggerArtifact = artifact.toAbsolutePath().normalize();
    c.triggerHandler = handler;
    return c.build();
  }

  /** The endpoints file a user sources to point AWS clients at this stack. */
  public Path endpointsFile() {
    return dataDir.resolve("endpoints.env");
  }

  /** A mutable copy for the {@code with*} methods: each changes a field or two, then builds. */
  private static final class Copy {
    private final Path repoRoot;
    private Path dataDir;
    private final String host;
    private int sqsPort;
    private int s3Port;
    private int sfnPort;
    private final String region;
    private final String accountId;
    private final String dataBucket;
    private final Path queuesJson;
    private final Path stateMachineTemplate;
    private Path jobsDir;
    private Path triggerArtifact;
    private String triggerHandler;
    private int vcpuBudget;
    private int batchSize;
    private long batchingWindowMillis;
    private int visibilityTimeoutSeconds;
    private int receiveWaitSeconds;
    private Path policiesDir;

    Copy(StackSettings s) {
      repoRoot = s.repoRoot;
      dataDir = s.dataDir;
      host = s.host;
      sqsPort = s.sqsPort;
      s3Port = s.s3Port;
      sfnPort = s.sfnPort;
      region = s.region;
      accountId = s.accountId;
      dataBucket = s.dataBucket;
      queuesJson = s.queuesJson;
      stateMachineTemplate = s.stateMachineTemplate;
      jobsDir = s.jobsDir;
      triggerArtifact = s.triggerArtifact;
      triggerHandler = s.triggerHandler;
      vcpuBudget = s.vcpuBudget;
      batchSize = s.batchSize;
      batchingWindowMillis = s.batchingWindowMillis;
      visibilityTimeoutSeconds = s.visibilityTimeoutSeconds;
      receiveWaitSeconds = s.receiveWaitSeconds;
      policiesDir = s.policiesDir;
    }

    StackSettings build() {
      return new StackSettings(
          repoRoot,
          dataDir,
          host,
          sqsPort,
          s3Port,
          sfnPort,
          region,
          accountId,
          dataBucket,
          queuesJson,
          stateMachineTemplate,
          jobsDir,
          triggerArtifact,
          triggerHandler,
          vcpuBudget,
          batchSize,
          batchingWindowMillis,
          visibilityTimeoutSeconds,
          receiveWaitSeconds,
          policiesDir);
    }
  }
}
