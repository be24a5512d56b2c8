package dev.hsipipeline.local.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.hsipipeline.local.aws.iam.Iam;
import dev.hsipipeline.local.aws.internal.QuietLogging;
import dev.hsipipeline.local.aws.internal.SqsFront;
import dev.hsipipeline.local.aws.internal.SqsLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.CreateQueueMetadata;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scalikejdbc.ConnectionPool$;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * An SQS-compatible server (embedded ElasticMQ) with the pipeline's queues, their dead-letter
 * queues and redrive policies created at start.
 *
 * <p>Queue URLs look like {@code http://127.0.0.1:9324/000000000000/activator-queue} and ARNs like
 * {@code arn:aws:sqs:us-east-1:000000000000:activator-queue}, so code that derives names from ARNs
 * (as the trigger Lambda does) behaves as on AWS. Without a {@link Config#messageStoreDir()}
 * messages are kept in memory and a restart empties the queues (the queues themselves are recreated
 * from the specs). With one, queues and messages (bodies, attributes, receive counts, visibility
 * deadlines) are written through to an H2 database in that directory and come back when a server is
 * started on the same directory, also after the process was killed (see ADR 0033).
 *
 * <pre>{@code
 * var queues = QueueSpec.fromSettings(Path.of("terraform/queues.json"));
 * try (LocalSqs sqs = LocalSqs.start(
 *     new LocalSqs.Config("127.0.0.1", 0, "us-east-1", "000000000000", queues))) {
 *   String url = sqs.queueUrl("activator-queue");
 * }
 * }</pre>
 */
public final class LocalSqs implements AutoCloseable {

  /** Default port of the local stack's SQS endpoint. */
  public static final int DEFAULT_PORT = 9324;

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where the server listens, its identity in ARNs/URLs, and the queues to create.
   *
   * @param host interface to bind; the local stack uses {@code 127.0.0.1} only
   * @param port TCP port, {@code 0} for an ephemeral port (see {@link #endpoint()})
   * @param region region used in queue ARNs, e.g. {@code us-east-1}
   * @param accountId 12-digit account id used in queue URLs and ARNs
   * @param queues queues to create (each with its DLQ, if any)
   * @param messageStoreDir directory holding the durable message store, or {@code null} to keep
   *     messages in memory only
   * @param iam the callers and policies to enforce, or null to authorise nothing
   */
  public record Config(
      String host,
      int port,
      String region,
      String accountId,
      List<QueueSpec> queues,
      Path messageStoreDir,
      Iam iam) {

    /** An in-memory server: messages are lost when it stops. */
    public Config(String host, int port, String region, String accountId, List<QueueSpec> queues) {
      this(host, port, region, accountId, queues, null, null);
    }

    /** A server without authorisation. */
    public Config(
        String host,
        int port,
        String region,
        String accountId,
        List<QueueSpec> queues,
        Path messageStoreDir) {
      this(host, port, region, accountId, queues, messageStoreDir, null);
    }

    /** Validates all fields and that queue/DLQ names do not clash. */
    public Config {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(accountId, "accountId");
      queues = List.copyOf(Objects.requireNonNull(queues, "queues"));
      if (host.isBlank()) {
        throw new IllegalArgumentException("SQS host must not be blank");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("SQS port " + port + " is outside [0, 65535]");
      }
      if (!REGION.matcher(region).matches()) {
        throw new IllegalArgumentException("invalid AWS region '" + region + "'");
      }
      if (!ACCOUNT.matcher(accountId).matches()) {
        throw new IllegalArgumentException(
            "AWS account id must be 12 digits, got '" + accountId + "'");
      }
      Set<String> names = new HashSet<>();
      for (QueueSpec q : queues) {
        if (!names.add(q.name())) {
          throw new IllegalArgumentException("queue " + q.name() + " is declared twice");
        }
      }
      for (QueueSpec q : queues) {
        if (q.hasDeadLetterQueue() && names.contains(q.dlqName())) {
          throw new IllegalArgumentException(
              "DLQ " + q.dlqName() + " of " + q.name() + " is also declared as a queue");
        }
      }
    }
  }

  private final Config config;
  private final ActorSystem actorSystem;
  private final SQSRestServer server;
  private final SqsFront front;
  private final MessageStore store;
  private final URI endpoint;
  private final URI backend;
  private final Map<String, String> queueUrls;

  private LocalSqs(
      Config config,
      ActorSystem actorSystem,
      SQSRestServer server,
      SqsFront front,
      MessageStore store,
      URI endpoint,
      URI backend,
      Map<String, String> queueUrls) {
    this.config = config;
    this.actorSystem = actorSystem;
    this.server = server;
    this.front = front;
    this.store = store;
    this.endpoint = endpoint;
    this.backend = backend;
    this.queueUrls = queueUrls;
  }

  /**
   * Starts the server, creates every queue (DLQs first, then the queues with their redrive policy)
   * and returns once all exist.
   *
   * @throws IllegalStateException naming host/port or the queue when start or creation fails
   */
  public static LocalSqs start(Config config) {
    Objects.requireNonNull(config, "config");
    QuietLogging.apply();
    int port = config.port() == 0 ? FreePort.find(config.host()) : config.port();
    // ElasticMQ listens on an internal loopback port behind the SqsFront on the public one (which
    // authorises calls and enforces message sizes); queue URLs name the public port.
    int backendPort = FreePort.find(config.host());
    // Our own actor system: logs go through slf4j (not Pekko's stdout logger), and close() can
    // terminate it deterministically.
    ClassLoader cl = LocalSqs.class.getClassLoader();
    com.typesafe.config.Config pekkoConfig =
        ConfigFactory.parseString(
                """
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                pekko.loglevel = WARNING
                pekko.stdout-loglevel = OFF
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                pekko.jvm-exit-on-fatal-error = off
                pekko.http.server.request-timeout = 60s
                pekko.http.server.idle-timeout = 120s
                pekko.http.server.parsing.max-content-length = 8m
                """)
            .withFallback(ConfigFactory.load(cl));
    ActorSystem system = ActorSystem.create("local-sqs", pekkoConfig, cl);
    SQSRestServer server;
    String host = LocalS3.hostForUri(config.host());
    MessageStore store = null;
    try {
      TheSQSRestServerBuilder builder = SQSRestServerBuilder.withActorSystem(system);
      if (config.messageStoreDir() != null) {
        store = MessageStore.open(config.messageStoreDir());
        builder = store.restore(system, builder);
      }
      server =
          builder
              .withInterface(config.host())
              .withPort(backendPort)
              .withSQSLimits(SqsLimits.SQS)
              .withServerAddress(new NodeAddress("http", config.host(), port, ""))
              .withAWSRegion(config.region())
              .withAWSAccountId(config.accountId())
              .start();
      server.waitUntilStarted();
    } catch (RuntimeException e) {
      terminate(system);
      if (store != null) {
        store.close();
      }
      throw new IllegalStateException(
          "cannot start local SQS on " + config.host() + ":" + port + ": " + e.getMessage(), e);
    }
    URI endpoint = URI.create("http://" + host + ":" + port);
    URI backend = URI.create("http://" + host + ":" + backendPort);
    Map<String, String> urls = new LinkedHashMap<>();
    // Straight to ElasticMQ: creating the queues is the stack's own set-up, not a caller's call.
    try (SqsClient sqs = adminClient(config, backend)) {
      for (QueueSpec q : config.queues()) {
        if (q.hasDeadLetterQueue()) {
          Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
          attrs.put(
              QueueAttributeName.MESSAGE_RETENTION_PERIOD,
              Integer.toString(q.dlqMessageRetentionSeconds()));
          attrs.put(
              QueueAttributeName.VISIBILITY_TIMEOUT,
              Integer.toString(q.visibilityTimeoutSeconds()));
          urls.put(q.dlqName(), createOrUpdateQueue(sqs, q.dlqName(), attrs));
        }
      }
      for (QueueSpec q : config.queues()) {
        Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
        attrs.put(
            QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(q.visibilityTimeoutSeconds()));
        attrs.put(
            QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
            Integer.toString(q.receiveWaitTimeSeconds()));
        attrs.put(
            QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            Integer.toString(q.messageRetentionSeconds()));
        if (q.hasDeadLetterQueue()) {
          ObjectNode redrive = JSON.createObjectNode();
          redrive.put("deadLetterTargetArn", arn(config, q.dlqName()));
          redrive.put("maxReceiveCount", q.maxReceiveCount());
          attrs.put(QueueAttributeName.REDRIVE_POLICY, redrive.toString());
        }
        urls.put(q.name(), createOrUpdateQueue(sqs, q.name(), attrs));
      }
    } catch (RuntimeException e) {
      stop(server, system, store);
      throw e;
    }
    Map<String, Integer> maxSizes = new LinkedHashMap<>();
    for (QueueSpec q : config.queues()) {
      maxSizes.put(q.name(), q.maxMessageSize());
      if (q.hasDeadLetterQueue()) {
        maxSizes.put(q.dlqName(), q.maxMessageSize());
      }
    }
    SqsFront front;
    try {
      front =
          new SqsFront(
              config.host(),
              port,
              backend,
              config.iam(),
              arn(config, ""),
              name -> maxSizes.getOrDefault(name, QueueSpec.MAX_MESSAGE_SIZE));
    } catch (IOException | RuntimeException e) {
      stop(server, system, store);
      throw new IllegalStateException(
          "cannot start local SQS on " + config.host() + ":" + port + ": " + e.getMessage(), e);
    }
    return new LocalSqs(
        config, system, server, front, store, endpoint, backend, Collections.unmodifiableMap(urls));
  }

  /** The base URL for SDK clients, e.g. {@code http://127.0.0.1:9324}. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * ElasticMQ's own endpoint behind the front: nothing is authorised or size-checked there. For
   * measuring what the front costs (benchmark 7), never for pipeline code.
   */
  public URI backendEndpoint() {
    return backend;
  }

  /** The port the server listens on (the actual one when the config asked for {@code 0}). */
  public int port() {
    return endpoint.getPort();
  }

  /** The configuration this server was started with. */
  public Config config() {
    return config;
  }

  /**
   * The URL of a queue or DLQ created at start.
   *
   * @throws IllegalArgumentException naming the known queues if {@code name} is not one of them
   */
  public String queueUrl(String name) {
    String url = queueUrls.get(name);
    if (url == null) {
      throw new IllegalArgumentException(
          "unknown queue '" + name + "', known: " + queueUrls.keySet());
    }
    return url;
  }

  /** The ARN of a queue or DLQ created at start, {@code arn:aws:sqs:<region>:<account>:<name>}. */
  public String queueArn(String name) {
    queueUrl(name);
    return arn(config, name);
  }

  /** Names of all queues and DLQs, DLQs first. */
  public List<String> queueNames() {
    return new ArrayList<>(queueUrls.keySet());
  }

  /**
   * Stops the server. In-memory messages are discarded; with a message store they stay on disk for
   * the next start on the same directory.
   */
  @Override
  public void close() {
    front.close();
    stop(server, actorSystem, store);
  }

  private static String arn(Config config, String name) {
    return "arn:aws:sqs:" + config.region() + ":" + config.accountId() + ":" + name;
  }

  private static void stop(SQSRestServer server, ActorSystem system, MessageStore store) {
    try {
      server.stopAndWait();
    } catch (RuntimeException e) {
      // best effort; the actor system is terminated below anyway
    } finally {
      terminate(system);
      if (store != null) {
        store.close();
      }
    }
  }

  private static void terminate(ActorSystem system) {
    try {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** An SDK client for creating the queues on the server just started (any credentials do). */
  private static SqsClient adminClient(Config config, URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(config.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /**
   * Creates a queue, or, when it was restored from the message store with other attributes (e.g. a
   * visibility timeout changed in queues.json), keeps it and its messages and applies the current
   * attributes.
   */
  private static String createOrUpdateQueue(
      SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
    try {
      try {
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
      } catch (QueueNameExistsException e) {
        String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
        return url;
      }
    } catch (SdkException e) {
      throw new IllegalStateException(
          "cannot create queue " + name + " " + attributes + ": " + e.getMessage(), e);
    }
  }

  /**
   * ElasticMQ's SQL message persistence (the standalone server's {@code messages-storage}) wired
   * into the embedded server the way ElasticMQServer does it: a persistence actor receives every
   * queue/message event from the queue manager and restores queues and messages at start. ElasticMQ
   * reaches the database through scalikejdbc's JVM-wide default connection pool, so one store per
   * JVM can be open at a time; a second one fails fast instead of sharing the pool.
   */
  private static final class MessageStore {
    private static final AtomicReference<Path> OPEN = new AtomicReference<>();

    private final Path dir;
    private final SqlQueuePersistenceConfig persistence;

    private MessageStore(Path dir, SqlQueuePersistenceConfig persistence) {
      this.dir = dir;
      this.persistence = persistence;
    }

    static MessageStore open(Path requested) {
      Path dir = requested.toAbsolutePath().normalize();
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot create SQS message store directory " + dir + ": " + e.getMessage(), e);
      }
      if (!Files.isWritable(dir)) {
        throw new IllegalStateException("SQS message store directory " + dir + " is not writable");
      }
      if (!OPEN.compareAndSet(null, dir)) {
        throw new IllegalStateException(
            "cannot open SQS message store "
                + dir
                + ": store "
                + OPEN.get()
                + " is already open in this JVM (ElasticMQ uses one JDBC pool per JVM)");
      }
      // FILE_LOCK=FS: an OS lock, released when a killed process dies (no stale lock file).
      // WRITE_DELAY=0: every committed change reaches the file at once, so kill -9 loses nothing
      // the client was told succeeded.
      String url = "jdbc:h2:file:" + dir.resolve("elasticmq") + ";FILE_LOCK=FS;WRITE_DELAY=0";
      try {
        // ElasticMQ's DB initialises the default pool only once per JVM: point it at this store.
        ConnectionPool$ pools = ConnectionPool$.MODULE$;
        var settings = pools.singleton$default$4();
        pools.singleton(url, "", "", settings, pools.singleton$default$5(url, "", "", settings));
      } catch (RuntimeException e) {
        OPEN.set(null);
        throw new IllegalStateException(
            "cannot open SQS message store " + url + ": " + e.getMessage(), e);
      }
      return new MessageStore(
          dir, new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "", "", false));
    }

    /** Creates the persistent queue manager, restores queues and messages, wires the builder. */
    TheSQSRestServerBuilder restore(ActorSystem system, TheSQSRestServerBuilder builder) {
      SqlQueuePersistenceConfig cfg = persistence;
      scala.collection.immutable.List<CreateQueueMetadata> noBaseQueues =
          scala.collection.immutable.List$.MODULE$.empty();
      ActorRef store =
          system.actorOf(
              Props.create(
                  SqlQueuePersistenceActor.class,
                  () -> new SqlQueuePersistenceActor(cfg, noBaseQueues)),
              "sqs-message-store");
      ActorRef manager =
          system.actorOf(
              Props.create(
                  QueueManagerActor.class,
                  () ->
                      new QueueManagerActor(new NowProvider(), SqsLimits.SQS, Option.apply(store))),
              "sqs-queue-manager");
      Object result;
      try {
        result =
            Patterns.ask(store, new QueueEvent.Restore(manager), Duration.ofMinutes(2))
                .toCompletableFuture()
                .get(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while restoring SQS queues from " + dir, e);
      } catch (Exception e) {
        throw new IllegalStateException(
            "cannot restore SQS queues and messages from " + dir + ": " + e, e);
      }
      if (result instanceof scala.util.Left<?, ?> left) {
        throw new IllegalStateException(
            "cannot restore SQS queues from " + dir + ": " + left.value());
      }
      return builder.withQueueManagerActor(manager).withQueueEventListener(store);
    }

    /** Closes the JDBC pool (H2 then closes and unlocks the file) and frees the JVM slot. */
    void close() {
      try {
        ConnectionPool$.MODULE$.close(ConnectionPool$.MODULE$.DEFAULT_NAME());
      } catch (RuntimeException e) {
        // best effort: every write was already committed
      } finally {
        OPEN.compareAndSet(dir, null);
      }
    }
  }

  /** Picks a free port so queue URLs can name the real port (ElasticMQ fixes them at start). */
  private static final class FreePort {
    static int find(String host) {
      try (var socket = new java.net.ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(host, 0));
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new IllegalStateException("no free port on " + host + ": " + e.getMessage(), e);
      }
    }
  }
}
