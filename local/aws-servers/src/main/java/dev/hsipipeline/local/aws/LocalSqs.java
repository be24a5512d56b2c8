package dev.hsipipeline.local.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.hsipipeline.local.aws.iam.Iam;
import dev.hsipipeline.local.aws.internal.FreePort;
import dev.hsipipeline.local.aws.internal.QueueCreation;
import dev.hsipipeline.local.aws.internal.QuietLogging;
import dev.hsipipeline.local.aws.internal.SqlMessageStore;
import dev.hsipipeline.local.aws.internal.SqsFront;
import dev.hsipipeline.local.aws.internal.SqsLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

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
  private final SqlMessageStore store;
  private final URI endpoint;
  private final URI backend;
  private final Map<String, String> queueUrls;

  private LocalSqs(
      Config config,
      ActorSystem actorSystem,
      SQSRestServer server,
      SqsFront front,
      SqlMessageStore store,
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
    SqlMessageStore store = null;
    try {
      TheSQSRestServerBuilder builder = SQSRestServerBuilder.withActorSystem(system);
      if (config.messageStoreDir() != null) {
        store = SqlMessageStore.open(config.messageStoreDir());
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
    Map<String, String> urls;
    // Straight to ElasticMQ: creating the queues is the stack's own set-up, not a caller's call.
    try (SqsClient sqs = adminClient(config, backend)) {
      urls = QueueCreation.createAll(sqs, config.queues(), name -> arn(config, name));
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

  private static void stop(SQSRestServer server, ActorSystem system, SqlMessageStore store) {
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
}
