package dev.hsipipeline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.local.aws.LocalS3;
import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
import dev.hsipipeline.local.batch.BatchRunner;
import dev.hsipipeline.local.batch.BatchSettings;
import dev.hsipipeline.local.batch.JobDefinition;
import dev.hsipipeline.local.console.Console;
import dev.hsipipeline.local.esm.EventSourceMapping;
import dev.hsipipeline.local.esm.LambdaFunction;
import dev.hsipipeline.local.iam.AuthorizingTaskInvoker;
import dev.hsipipeline.local.iam.LocalIam;
import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole local pipeline in one process: S3 (S3Proxy, bucket {@code hsi-data}), SQS (ElasticMQ
 * with the queues and DLQs of {@code terraform/queues.json}), Step Functions (our ASL interpreter
 * behind the AWS JSON 1.0 API, running the rendered {@code statemachine/pipeline.asl.json}), the
 * Lambda event source mappings invoking the real trigger artifact, and the Batch runner executing
 * job jars as child processes.
 *
 * <p>{@link #start} brings everything up (and writes {@code <dataDir>/endpoints.env}); {@link
 * #close} takes it down in the order that loses nothing: stop polling and drain in-flight
 * invocations, stop Step Functions (flushing its history), kill job processes, stop the servers.
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The role ARN the local state machine is created with. */
  public static final String STATE_MACHINE_ROLE =
      "arn:aws:iam::000000000000:role/hsi-pipeline-state-machine";

  /**
   * The operator's credentials (CLI, console, tests, any AWS client of the developer): every call
   * allowed. The pipeline's own components each sign with their role's credentials ({@link
   * LocalIam}).
   */
  public static final String ACCESS_KEY = "test";

  public static final String SECRET_KEY = "test";

  /** Cap of the ESM long-poll wait (AWS: 20 s) so that stopping never waits long for a poll. */
  static final int MAX_LOCAL_POLL_WAIT_SECONDS = 2;

  private final StackSettings settings;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private LocalS3 s3;
  private LocalSqs sqs;
  private StepFunctionsLocal sfn;
  private BatchRunner batch;
  private LambdaFunction trigger;
  private SqsClient sqsClient;
  private SqsClient triggerSqsClient;
  private LocalIam iam;
  private final List<EventSourceMapping> mappings = new ArrayList<>();
  private final Map<String, QueueSpec> queues = new LinkedHashMap<>();
  private Map<String, JobDefinition> jobDefinitions = Map.of();
  private String stateMachineArn;
  private String renderedDefinition;
  private Thread shutdownHook;
  private volatile boolean closed;

  private LocalStack(StackSettings settings) {
    this.settings = settings;
  }

  /**
   * Starts every part. On any failure, what was already started is stopped again and the error says
   * which part failed and why.
   */
  public static LocalStack start(StackSettings settings) {
    LocalStack stack = new LocalStack(settings);
    try {
      stack.doStart();
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  private void doStart() {
    long t0 = System.nanoTime();
    Path dataDir = settings.dataDir();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data dir " + dataDir, e);
    }
    JsonNode queueSettings = readJson(settings.queuesJson());

    for (Map.Entry<String, QueueSpec> e :
        QueueSpec.fromSettingsByRole(settings.queuesJson()).entrySet()) {
      QueueSpec q = e.getValue();
      if (settings.visibilityTimeoutSeconds() >= 0) {
        q =
            new QueueSpec(
                q.name(),
                q.dlqName(),
                q.maxReceiveCount(),
                settings.visibilityTimeoutSeconds(),
                q.receiveWaitTimeSeconds(),
                q.messageRetentionSeconds(),
                q.dlqMessageRetentionSeconds(),
                q.maxMessageSize());
      }
      queues.put(e.getKey(), q);
    }
    // Every principal's policy, rendered from terraform/policies like Terraform does (ADR 0120).
    iam = loadIam();

    s3 =
        LocalS3.start(
            new LocalS3.Config(
                settings.host(), settings.s3Port(), dataDir.resolve("s3"), iam.iam()));
    toClose.add(s3);
    s3.createBucket(settings.dataBucket());

    // Messages are stored under <dataDir>/sqs so a restart (even after kill -9) keeps them (ADR
    // 0033).
    sqs =
        LocalSqs.start(
            new LocalSqs.Config(
                settings.host(),
                settings.sqsPort(),
                settings.region(),
                settings.accountId(),
                List.copyOf(queues.values()),
                dataDir.resolve("sqs"),
                iam.iam()));
    toClose.add(sqs);

    // Job definitions and the state machine, rendered with the values Terraform would fill in.
    Map<String, String> jobVars = new LinkedHashMap<>();
    jobVars.put("data_bucket", settings.dataBucket());
    queues.forEach((role, q) -> jobVars.put(role + "_queue_url", sqs.queueUrl(q.name())));
    jobDefinitions =
        JobDefinition.loadAll(settings.jobsDir(), jobVars, settings.region(), settings.accountId());

    BatchSettings batchSettings =
        new BatchSettings(
            dataDir,
            settings.region(),
            settings.accountId(),
            settings.vcpuBudget(),
            jobEnvironment(),
            BatchSettings.currentJava(),
            5000,
            true,
            jobRoleEnvironment());
    batch = new BatchRunner(batchSettings, jobDefinitions);
    toClose.add(batch);

    Map<String, String> queueArns = new LinkedHashMap<>();
    queues.forEach((role, q) -> queueArns.put(role, sqs.queueArn(q.name())));
    renderedDefinition =
        StateMachineTemplate.render(
            settings.stateMachineTemplate(),
            StateMachineTemplate.variables(
                queueArns,
                batchSettings.jobQueueArn(),
                jobDefinitions,
                StateMachineTemplate.BatchTiming.fromSettings(settings.queuesJson())));

    sfn =
        StepFunctionsLocal.builder()
            .host(settings.host())
            .port(settings.sfnPort())
            .dataDir(dataDir.resolve("sfn"))
            .region(settings.region())
            .accountId(settings.accountId())
            .taskInvoker(
                new AuthorizingTaskInvoker(batch, iam, settings.region(), settings.accountId()))
            .authorizer(iam.stepFunctionsAuthorizer())
            .build();
    toClose.add(sfn);
    sfn.start();
    checkSyncIntegrationRule(renderedDefinition);
    stateMachineArn =
        sfn.createOrUpdateStateMachine(
            StackSettings.STATE_MACHINE_NAME, renderedDefinition, STATE_MACHINE_ROLE);

    // The trigger Lambda and one event source mapping per queue.
    sqsClient =
        SqsClient.builder()
            .endpointOverride(sqs.endpoint())
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials())
            .httpClientBuilder(
                UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(45)))
            .build();
    toClose.add(sqsClient);
    // The event source mappings poll with the function's role, as Lambda's pollers do.
    LocalIam.Credentials triggerCredentials = iam.credentials(LocalIam.TRIGGER);
    triggerSqsClient =
        SqsClient.builder()
            .endpointOverride(sqs.endpoint())
            .region(Region.of(settings.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        triggerCredentials.accessKeyId(), triggerCredentials.secretAccessKey())))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(45)))
            .build();
    toClose.add(triggerSqsClient);
    JsonNode triggerSettings = queueSettings.path("trigger");
    trigger =
        LambdaFunction.load(
            new LambdaFunction.Config(
                settings.triggerArtifact(),
                settings.triggerHandler(),
                "sfn-trigger",
                triggerEnvironment(triggerSettings),
                settings.region(),
                settings.accountId(),
                triggerSettings.path("memory_mib").asInt(512),
                triggerSettings.path("timeout_seconds").asLong(30) * 1000));
    toClose.add(trigger);
    JsonNode esm = queueSettings.path("event_source_mapping");
    int batchSize =
        settings.batchSize() > 0 ? settings.batchSize() : esm.path("batch_size").asInt(10);
    Duration window =
        settings.batchingWindowMillis() >= 0
            ? Duration.ofMillis(settings.batchingWindowMillis())
            : Duration.ofMillis(
                Math.round(esm.path("maximum_batching_window_seconds").asDouble(0) * 1000));
    int concurrency = esm.path("maximum_concurrency").asInt(2);
    for (QueueSpec q : queues.values()) {
      // Long polls return as soon as a message arrives, so the wait only bounds idle requests;
      // ElasticMQ holds an abandoned poll open until its wait ends, which would delay Ctrl-C.
      int wait =
          settings.receiveWaitSeconds() >= 0
              ? settings.receiveWaitSeconds()
              : Math.max(1, Math.min(MAX_LOCAL_POLL_WAIT_SECONDS, q.receiveWaitTimeSeconds()));
      mappings.add(
          EventSourceMapping.start(
              new EventSourceMapping.Settings(
                  sqs.queueUrl(q.name()),
                  sqs.queueArn(q.name()),
                  batchSize,
                  window,
                  concurrency,
                  wait),
              triggerSqsClient,
              trigger));
    }

    writeEndpointsFile();
    Console.mount(this);
    LOG.info(
        "local stack up in {} ms (data dir {})", (System.nanoTime() - t0) / 1_000_000, dataDir);
  }

  private Map<String, String> jobEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", settings.region());
    env.put("AWS_DEFAULT_REGION", settings.region());
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
    env.put("DATA_BUCKET", settings.dataBucket());
    // The local stack exists to test the pipeline: jobs honour an event's "faults" here, never
    // on AWS (the job definitions do not set this; ADR 0040).
    env.put("PIPELINE_FAULT_INJECTION", "true");
    QueueSpec processor = queues.get("processor");
    if (processor != null) {
      env.put("PROCESSOR_QUEUE_URL", sqs.queueUrl(processor.name()));
    }
    return env;
  }

  /** Each job definition's role credentials; a job without a policy file runs as the operator. */
  private Map<String, Map<String, String>> jobRoleEnvironment() {
    Map<String, Map<String, String>> env = new LinkedHashMap<>();
    for (JobDefinition def : jobDefinitions.values()) {
      // batch/<job>/target/<job>.jar: the folder names the job and its policy.
      String principal = "job-" + def.jar().getParent().getParent().getFileName();
      env.put(
          def.name(),
          hasPolicy(principal)
              ? iam.credentials(principal).environment()
              : iam.credentials(LocalIam.OPERATOR).environment());
    }
    return env;
  }

  private boolean hasPolicy(String principal) {
    return Files.isRegularFile(settings.policiesDir().resolve(principal + ".json"));
  }

  /**
   * The principals and their rendered policies. Only ARNs are needed, and every local ARN is known
   * before any server starts (job definition names come from the raw files).
   */
  private LocalIam loadIam() {
    String region = settings.region();
    String account = settings.accountId();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("partition", "aws");
    vars.put("region", region);
    vars.put("account_id", account);
    queues.forEach(
        (role, q) ->
            vars.put(
                role + "_queue_arn", "arn:aws:sqs:" + region + ":" + account + ":" + q.name()));
    vars.put("state_machine_name", StackSettings.STATE_MACHINE_NAME);
    vars.put(
        "state_machine_arn",
        "arn:aws:states:"
            + region
            + ":"
            + account
            + ":stateMachine:"
            + StackSettings.STATE_MACHINE_NAME);
    String bucketArn = "arn:aws:s3:::" + settings.dataBucket();
    vars.put("data_bucket_arn", bucketArn);
    vars.put("payload_prefix", "payloads/");
    vars.put(
        "trigger_log_group_arn",
        "arn:aws:logs:" + region + ":" + account + ":log-group:/aws/lambda/sfn-trigger");
    vars.put("job_queue_arn", "arn:aws:batch:" + region + ":" + account + ":job-queue/local");
    vars.put("scene_object_arns_json", "[\"" + bucketArn + "/*\"]");
    vars.put("scene_bucket_arns_json", "[\"" + bucketArn + "\"]");
    List<String> jobsWithPolicies = new ArrayList<>();
    for (Map.Entry<String, String> job : JobDefinition.names(settings.jobsDir()).entrySet()) {
      vars.put(
          job.getKey() + "_job_definition_arn_prefix",
          "arn:aws:batch:" + region + ":" + account + ":job-definition/" + job.getValue());
      if (hasPolicy("job-" + job.getKey())) {
        jobsWithPolicies.add(job.getKey());
      } else {
        LOG.warn(
            "job {} has no {}: it runs with the operator's credentials, unchecked",
            job.getKey(),
            settings.policiesDir().resolve("job-" + job.getKey() + ".json"));
      }
    }
    return LocalIam.load(
        settings.policiesDir(),
        vars,
        jobsWithPolicies,
        account,
        new LocalIam.Credentials(ACCESS_KEY, SECRET_KEY));
  }

  /**
   * What CreateStateMachine checks for a {@code .sync} Batch task: that the role may manage the
   * EventBridge rule Step Functions watches jobs with.
   */
  private void checkSyncIntegrationRule(String definition) {
    if (!definition.contains(BatchRunner.SUBMIT_JOB_SYNC)) {
      return;
    }
    String rule =
        "arn:aws:events:"
            + settings.region()
            + ":"
            + settings.accountId()
            + ":rule/StepFunctionsGetEventsForBatchJobsRule";
    for (String action : List.of("events:PutTargets", "events:PutRule", "events:DescribeRule")) {
      var d = iam.authorize(LocalIam.STATE_MACHINE, action, rule);
      if (!d.allowed()) {
        throw new IllegalStateException(
            "CreateStateMachine: AccessDeniedException: '"
                + iam.roleArn(LocalIam.STATE_MACHINE)
                + "' is not authorized to create managed-rule. ("
                + d.message()
                + ")");
      }
    }
  }

  private Map<String, String> triggerEnvironment(JsonNode trigger) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STATE_MACHINE_ARN", stateMachineArn);
    env.put("PAYLOAD_BUCKET", settings.dataBucket());
    env.put("PAYLOAD_PREFIX", "payloads/");
    env.put(
        "INLINE_PAYLOAD_LIMIT_BYTES", trigger.path("inline_payload_limit_bytes").asText("4096"));
    env.put("MAX_CONCURRENCY", trigger.path("max_concurrency").asText("32"));
    env.put("AWS_REGION", settings.region());
    env.put("AWS_DEFAULT_REGION", settings.region());
    env.putAll(iam.credentials(LocalIam.TRIGGER).environment());
    env.put("AWS_ENDPOINT_URL_SFN", sfn.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    env.put("AWS_LAMBDA_FUNCTION_NAME", "sfn-trigger");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", trigger.path("memory_mib").asText("512"));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    return env;
  }

  /** The variables of {@code endpoints.env}, in file order. */
  public Map<String, String> endpointVariables() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
    v.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    v.put("AWS_ENDPOINT_URL_SFN", sfn.endpoint().toString());
    // Some tools spell the service id differently; both point at the same server.
    v.put("AWS_ENDPOINT_URL_STEPFUNCTIONS", sfn.endpoint().toString());
    v.put("AWS_REGION", settings.region());
    v.put("AWS_DEFAULT_REGION", settings.region());
    v.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    v.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    v.put("STATE_MACHINE_ARN", stateMachineArn);
    queues.forEach(
        (role, q) -> {
          String key = role.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
          v.put(key + "_QUEUE_URL", sqs.queueUrl(q.name()));
          if (q.hasDeadLetterQueue()) {
            v.put(key + "_DLQ_URL", sqs.queueUrl(q.dlqName()));
          }
        });
    v.put("DATA_BUCKET", settings.dataBucket());
    v.put("PIPELINE_CONSOLE_URL", consoleUrl());
    v.put("PIPELINE_DATA_DIR", settings.dataDir().toString());
    return v;
  }

  private void writeEndpointsFile() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Local HSI pipeline endpoints, written by the running stack (pid ")
        .append(ProcessHandle.current().pid())
        .append(").\n")
        .append("# Point the AWS CLI, boto3 or any SDK at the stack:  source ")
        .append(settings.endpointsFile())
        .append('\n')
        .append(
            "# (S3: use path-style addressing, e.g. aws configure set default.s3.addressing_style path;\n")
        .append(
            "#  AWS CLI v1's 'aws sqs' ignores AWS_ENDPOINT_URL_SQS: add --endpoint-url \"$AWS_ENDPOINT_URL_SQS\")\n");
    endpointVariables()
        .forEach(
            (k, val) ->
                sb.append("export ").append(k).append('=').append(shellQuote(val)).append('\n'));
    sb.append("PIPELINE_PID=").append(ProcessHandle.current().pid()).append('\n');
    Path file = settings.endpointsFile();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, sb);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String shellQuote(String v) {
    return v.matches("[A-Za-z0-9_@%+=:,./-]*") ? v : "'" + v.replace("'", "'\\''") + "'";
  }

  /** Stops everything when the JVM exits (Ctrl-C). Idempotent with {@link #close}. */
  public LocalStack closeOnShutdown() {
    shutdownHook =
        new Thread(
            () -> {
              shutdownHook = null;
              close();
            },
            "local-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    return this;
  }

  /**
   * Stops in the order that loses nothing: event source mappings stop polling and finish their
   * in-flight batches; Step Functions stops (history flushed); the Batch runner kills job
   * processes; then SQS and S3 stop and the endpoints file is removed.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Thread hook = shutdownHook;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
    for (EventSourceMapping m : mappings) {
      m.stop(Duration.ofSeconds(35));
    }
    try {
      if (sfn != null) {
        String endpointsPid = "PIPELINE_PID=" + ProcessHandle.current().pid();
        Path f = settings.endpointsFile();
        if (Files.isRegularFile(f) && Files.readString(f).contains(endpointsPid)) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot remove endpoints file: {}", e.toString());
    }
    List<AutoCloseable> order = new ArrayList<>(toClose);
    Collections.reverse(order);
    // Reverse start order would stop Batch before Step Functions; stop SFN first so running
    // executions are recorded as interrupted rather than as failed jobs.
    if (sfn != null && batch != null) {
      order.remove(sfn);
      order.add(order.indexOf(batch), sfn);
    }
    for (AutoCloseable c : order) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("stopping {}: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
    LOG.info("local stack stopped");
  }

  // ---- what the CLI, the console and tests use ----

  public StackSettings settings() {
    return settings;
  }

  /** The running Step Functions server (API + interpreter). */
  public StepFunctionsLocal stepFunctions() {
    return sfn;
  }

  /** The Batch runner (job listeners, definitions). */
  public BatchRunner batch() {
    return batch;
  }

  public LocalS3 s3() {
    return s3;
  }

  public LocalSqs sqs() {
    return sqs;
  }

  /** A client for the local SQS, owned by the stack (do not close). */
  public SqsClient sqsClient() {
    return sqsClient;
  }

  public URI sqsEndpoint() {
    return sqs.endpoint();
  }

  public URI s3Endpoint() {
    return s3.endpoint();
  }

  public URI sfnEndpoint() {
    return sfn.endpoint();
  }

  /** The console's URL (served by the Step Functions server). */
  public String consoleUrl() {
    String e = sfn.endpoint().toString();
    return e.endsWith("/") ? e : e + "/";
  }

  public Path dataDir() {
    return settings.dataDir();
  }

  public String stateMachineArn() {
    return stateMachineArn;
  }

  /** The state machine definition after rendering the template. */
  public String renderedDefinition() {
    return renderedDefinition;
  }

  /** The queues by role ({@code activator}, {@code processor}), as declared in queues.json. */
  public Map<String, QueueSpec> queues() {
    return Collections.unmodifiableMap(queues);
  }

  public String queueUrl(String role) {
    return sqs.queueUrl(queue(role).name());
  }

  public String queueArn(String role) {
    return sqs.queueArn(queue(role).name());
  }

  /** The DLQ URL of a role's queue, or null when it has none. */
  public String dlqUrl(String role) {
    QueueSpec q = queue(role);
    return q.hasDeadLetterQueue() ? sqs.queueUrl(q.dlqName()) : null;
  }

  private QueueSpec queue(String role) {
    QueueSpec q = queues.get(role);
    if (q == null) {
      throw new IllegalArgumentException("no queue '" + role + "'; known: " + queues.keySet());
    }
    return q;
  }

  /** The event source mappings, one per queue. */
  public List<EventSourceMapping> eventSourceMappings() {
    return List.copyOf(mappings);
  }

  public Map<String, JobDefinition> jobDefinitions() {
    return jobDefinitions;
  }

  /** The trigger function the event source mappings invoke. */
  public LambdaFunction trigger() {
    return trigger;
  }

  /** The local IAM: principals, their credentials and the calls they made. */
  public LocalIam iam() {
    return iam;
  }

  /** Static credentials for clients of this stack. */
  public static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  private static JsonNode readJson(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
