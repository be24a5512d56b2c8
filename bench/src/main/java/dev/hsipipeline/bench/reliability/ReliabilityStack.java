package dev.hsipipeline.bench.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.bench.reliability.chaos.ChaosTrigger;
import dev.hsipipeline.local.StateMachineTemplate;
import dev.hsipipeline.local.aws.LocalS3;
import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
import dev.hsipipeline.local.batch.BatchRunner;
import dev.hsipipeline.local.batch.BatchSettings;
import dev.hsipipeline.local.batch.JobDefinition;
import dev.hsipipeline.local.esm.EventSourceMapping;
import dev.hsipipeline.local.esm.LambdaFunction;
import dev.hsipipeline.local.integrations.S3GetObjectTask;
import dev.hsipipeline.local.integrations.TaskRouter;
import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local pipeline assembled from the same public parts {@code dev.hsipipeline.local.LocalStack}
 * uses — LocalS3, LocalSqs with {@code terraform/queues.json}'s queues and DLQs, the Batch runner
 * with the repository's job definitions, Step Functions running the rendered {@code
 * statemachine/pipeline.asl.json} with H2 history, the isolated-loader Lambda and one event source
 * mapping per queue — with three things the suite must control and LocalStack does not expose: the
 * trigger artifact (the real jar plus {@link ChaosTrigger}), the job launcher (a shell stand-in for
 * the job JVM, so 2 000+ jobs fit in CI), and fault-injection settings.
 */
public final class ReliabilityStack implements AutoCloseable {
  static final String REGION = "us-east-1";
  static final String ACCOUNT = "000000000000";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param repoRoot the repository
   * @param dataDir S3 objects, execution history, job records (survives a restart)
   * @param workDir generated artifacts and the chaos log
   * @param sqsPort 0 for ephemeral
   * @param s3Port 0 for ephemeral
   * @param sfnPort 0 for ephemeral
   * @param visibilityTimeoutSeconds every queue's visibility timeout (short: redelivery and DLQ
   *     quickly)
   * @param jvmJobs run jobs as JVMs ({@code java -jar noop.jar}) instead of the shell stand-in
   * @param vcpuBudget the Batch runner's vCPUs (jobs take the definitions' VCPU each)
   * @param chaos CHAOS_* settings for {@link ChaosTrigger}; empty = the plain trigger handler
   * @param secretKey the secret access key every part is given (the security check plants a canary
   *     here and looks for it in logs)
   */
  public record Options(
      Path repoRoot,
      Path dataDir,
      Path workDir,
      int sqsPort,
      int s3Port,
      int sfnPort,
      int visibilityTimeoutSeconds,
      boolean jvmJobs,
      double vcpuBudget,
      Map<String, String> chaos,
      String secretKey) {
    public Options {
      chaos = Map.copyOf(chaos);
    }

    public Options(
        Path repoRoot,
        Path dataDir,
        Path workDir,
        int sqsPort,
        int s3Port,
        int sfnPort,
        int visibilityTimeoutSeconds,
        boolean jvmJobs,
        double vcpuBudget,
        Map<String, String> chaos) {
      this(
          repoRoot,
          dataDir,
          workDir,
          sqsPort,
          s3Port,
          sfnPort,
          visibilityTimeoutSeconds,
          jvmJobs,
          vcpuBudget,
          chaos,
          "test");
    }
  }

  private final Options options;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<EventSourceMapping> mappings = new ArrayList<>();
  private final Map<String, QueueSpec> queues = new LinkedHashMap<>();
  private LocalS3 s3;
  private LocalSqs sqs;
  private StepFunctionsLocal sfn;
  private BatchRunner batch;
  private SqsClient sqsClient;
  private String stateMachineArn;

  private ReliabilityStack(Options options) {
    this.options = options;
  }

  public static ReliabilityStack start(Options options) throws IOException {
    ReliabilityStack s = new ReliabilityStack(options);
    try {
      s.doStart();
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void doStart() throws IOException {
    Path repo = options.repoRoot();
    Files.createDirectories(options.dataDir());
    Files.createDirectories(options.workDir());
    s3 =
        LocalS3.start(
            new LocalS3.Config("127.0.0.1", options.s3Port(), options.dataDir().resolve("s3")));
    started.add(s3);
    s3.createBucket("hsi-data");
    for (Map.Entry<String, QueueSpec> e :
        QueueSpec.fromSettingsByRole(repo.resolve("terraform/queues.json")).entrySet()) {
      QueueSpec q = e.getValue();
      queues.put(
          e.getKey(),
          new QueueSpec(
              q.name(),
              q.dlqName(),
              q.maxReceiveCount(),
              options.visibilityTimeoutSeconds(),
              q.receiveWaitTimeSeconds(),
              q.messageRetentionSeconds(),
              q.dlqMessageRetentionSeconds()));
    }
    // Durable like the local stack's: queued and in-flight messages survive a kill -9.
    sqs =
        LocalSqs.start(
            new LocalSqs.Config(
                "127.0.0.1",
                options.sqsPort(),
                REGION,
                ACCOUNT,
                List.copyOf(queues.values()),
                options.dataDir().resolve("sqs")));
    started.add(sqs);

    Path jobsDir = Artifacts.jobs(repo, options.workDir().resolve("jobs"));
    Map<String, String> jobVars = new LinkedHashMap<>();
    jobVars.put("data_bucket", "hsi-data");
    queues.forEach((role, q) -> jobVars.put(role + "_queue_url", sqs.queueUrl(q.name())));
    Map<String, JobDefinition> defs = JobDefinition.loadAll(jobsDir, jobVars, REGION, ACCOUNT);
    String java =
        options.jvmJobs()
            ? BatchSettings.currentJava()
            : Artifacts.shellJobLauncher(options.workDir().resolve("fake-java.sh")).toString();
    Map<String, String> jobEnv = new LinkedHashMap<>();
    jobEnv.put("AWS_REGION", REGION);
    jobEnv.put("AWS_ACCESS_KEY_ID", "test");
    jobEnv.put("AWS_SECRET_ACCESS_KEY", options.secretKey());
    jobEnv.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    jobEnv.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
    jobEnv.put("DATA_BUCKET", "hsi-data");
    jobEnv.put("PIPELINE_FAULT_INJECTION", "true"); // the suite injects job faults (ADR 0040)
    BatchSettings batchSettings =
        new BatchSettings(
            options.dataDir(),
            REGION,
            ACCOUNT,
            options.vcpuBudget(),
            jobEnv,
            java,
            2000,
            options.jvmJobs());
    batch = new BatchRunner(batchSettings, defs);
    started.add(batch);

    Map<String, String> queueArns = new LinkedHashMap<>();
    queues.forEach((role, q) -> queueArns.put(role, sqs.queueArn(q.name())));
    String definition =
        StateMachineTemplate.render(
            repo.resolve("statemachine/pipeline.asl.json"),
            StateMachineTemplate.variables(
                queueArns,
                batchSettings.jobQueueArn(),
                "hsi-data",
                defs,
                StateMachineTemplate.BatchTiming.fromSettings(
                    repo.resolve("terraform/queues.json"))));
    // ReadJobOutcome (ADR 0166): the shell stand-in jobs write no outcome, so it records
    // "unreported"; JVM jobs write theirs.
    S3GetObjectTask s3GetObject =
        S3GetObjectTask.connect(s3.endpoint(), REGION, "test", options.secretKey());
    started.add(s3GetObject);
    sfn =
        StepFunctionsLocal.builder()
            .host("127.0.0.1")
            .port(options.sfnPort())
            .dataDir(options.dataDir().resolve("sfn"))
            .region(REGION)
            .accountId(ACCOUNT)
            .taskInvoker(
                TaskRouter.of(
                    Map.of(
                        "arn:aws:states:::batch:", batch, S3GetObjectTask.RESOURCE, s3GetObject)))
            .build();
    started.add(sfn);
    sfn.start();
    stateMachineArn =
        sfn.createOrUpdateStateMachine(
            "hsi-pipeline", definition, "arn:aws:iam::000000000000:role/hsi-pipeline-sfn");

    sqsClient =
        SqsClient.builder()
            .endpointOverride(sqs.endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("test", options.secretKey())))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(45)))
            .build();
    started.add(sqsClient);

    JsonNode settings = JSON.readTree(repo.resolve("terraform/queues.json").toFile());
    JsonNode trigger = settings.path("trigger");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STATE_MACHINE_ARN", stateMachineArn);
    env.put("PAYLOAD_BUCKET", "hsi-data");
    env.put("PAYLOAD_PREFIX", "payloads/");
    env.put(
        "INLINE_PAYLOAD_LIMIT_BYTES", trigger.path("inline_payload_limit_bytes").asText("8192"));
    env.put("MAX_CONCURRENCY", trigger.path("max_concurrency").asText("32"));
    env.put("AWS_REGION", REGION);
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", options.secretKey());
    env.put("AWS_ENDPOINT_URL_SFN", sfn.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    Path triggerJar = repo.resolve("lambdas/sfn-trigger/target/sfn-trigger.jar");
    String handler = "dev.hsipipeline.trigger.SfnTriggerHandler";
    if (!options.chaos().isEmpty()) {
      triggerJar =
          Artifacts.chaosTriggerJar(triggerJar, options.workDir().resolve("sfn-trigger-chaos.jar"));
      handler = ChaosTrigger.class.getName();
      env.putAll(options.chaos());
    }
    LambdaFunction function =
        LambdaFunction.load(
            new LambdaFunction.Config(
                triggerJar,
                handler,
                "sfn-trigger",
                env,
                REGION,
                ACCOUNT,
                trigger.path("memory_mib").asInt(512),
                trigger.path("timeout_seconds").asLong(30) * 1000));
    started.add(function);
    JsonNode esm = settings.path("event_source_mapping");
    for (QueueSpec q : queues.values()) {
      mappings.add(
          EventSourceMapping.start(
              new EventSourceMapping.Settings(
                  sqs.queueUrl(q.name()),
                  sqs.queueArn(q.name()),
                  esm.path("batch_size").asInt(10),
                  Duration.ofMillis(
                      Math.round(esm.path("maximum_batching_window_seconds").asDouble(0) * 1000)),
                  esm.path("maximum_concurrency").asInt(2),
                  1),
              sqsClient,
              function));
    }
  }

  public static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
  }

  public String stateMachineArn() {
    return stateMachineArn;
  }

  public URI sqsEndpoint() {
    return sqs.endpoint();
  }

  public URI sfnEndpoint() {
    return sfn.endpoint();
  }

  public URI s3Endpoint() {
    return s3.endpoint();
  }

  public StepFunctionsLocal stepFunctions() {
    return sfn;
  }

  public BatchRunner batch() {
    return batch;
  }

  public Map<String, QueueSpec> queues() {
    return queues;
  }

  public String queueUrl(String role) {
    return sqs.queueUrl(queues.get(role).name());
  }

  public String dlqUrl(String role) {
    return sqs.queueUrl(queues.get(role).dlqName());
  }

  public List<EventSourceMapping> mappings() {
    return mappings;
  }

  /**
   * Stops like LocalStack: mappings drain, Step Functions flushes, jobs are killed, servers stop.
   */
  @Override
  public void close() {
    for (EventSourceMapping m : mappings) {
      m.stop(Duration.ofSeconds(35));
    }
    List<AutoCloseable> order = new ArrayList<>(started);
    java.util.Collections.reverse(order);
    if (sfn != null && batch != null && order.contains(sfn) && order.contains(batch)) {
      order.remove(sfn);
      order.add(order.indexOf(batch), sfn);
    }
    for (AutoCloseable c : order) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("stopping " + c.getClass().getSimpleName() + ": " + e);
      }
    }
  }
}
