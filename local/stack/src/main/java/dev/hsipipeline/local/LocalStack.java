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
import dev.hsipipeline.local.integrations.TaskRouter;
import dev.hsipipeline.local.internal.EndpointsFile;
import dev.hsipipeline.local.internal.JobEnvironment;
import dev.hsipipeline.local.internal.StackPrincipals;
import dev.hsipipeline.local.internal.StackQueues;
import dev.hsipipeline.local.internal.TriggerWiring;
import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private final StackSettings settings;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private LocalS3 s3;
  private LocalSqs sqs;
  private StepFunctionsLocal sfn;
  private BatchRunner batch;
  private LambdaFunction trigger;
  private SqsClient sqsClient;
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
    queues.putAll(StackQueues.byRole(settings));
    iam = StackPrincipals.load(settings, queues, new LocalIam.Credentials(ACCESS_KEY, SECRET_KEY));

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
            JobEnvironment.of(settings, s3.endpoint(), sqs, queues),
            BatchSettings.currentJava(),
            5000,
            true,
            StackPrincipals.jobRoleEnvironment(settings, iam, jobDefinitions));
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
                settings.dataBucket(),
                jobDefinitions,
                StateMachineTemplate.BatchTiming.fromSettings(settings.queuesJson())));

    TaskRouter tasks =
        StackPrincipals.stateMachineTasks(batch, s3.endpoint(), settings, iam, toClose);
    sfn =
        StepFunctionsLocal.builder()
            .host(settings.host())
            .port(settings.sfnPort())
            .dataDir(dataDir.resolve("sfn"))
            .region(settings.region())
            .accountId(settings.accountId())
            .taskInvoker(
                new AuthorizingTaskInvoker(tasks, iam, settings.region(), settings.accountId()))
            .authorizer(iam.stepFunctionsAuthorizer())
            .build();
    toClose.add(sfn);
    sfn.start();
    StackPrincipals.checkSyncIntegrationRule(settings, iam, renderedDefinition);
    stateMachineArn =
        sfn.createOrUpdateStateMachine(
            StackSettings.STATE_MACHINE_NAME, renderedDefinition, STATE_MACHINE_ROLE);

    sqsClient = TriggerWiring.sqsClient(sqs.endpoint(), settings.region(), credentials());
    toClose.add(sqsClient);
    TriggerWiring.Trigger wired =
        TriggerWiring.start(
            settings,
            queueSettings,
            sqs,
            queues.values(),
            iam,
            TriggerWiring.functionEnvironment(
                settings,
                queueSettings.path("trigger"),
                stateMachineArn,
                iam,
                sfn.endpoint(),
                s3.endpoint()),
            toClose::add);
    trigger = wired.function();
    mappings.addAll(wired.mappings());

    EndpointsFile.write(settings.endpointsFile(), endpointVariables());
    Console.mount(this);
    LOG.info(
        "local stack up in {} ms (data dir {})", (System.nanoTime() - t0) / 1_000_000, dataDir);
  }

  /** The variables of {@code endpoints.env}, in file order. */
  public Map<String, String> endpointVariables() {
    return EndpointsFile.variables(this);
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
        EndpointsFile.removeIfOwned(settings.endpointsFile());
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
