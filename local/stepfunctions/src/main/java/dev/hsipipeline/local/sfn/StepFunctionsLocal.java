package dev.hsipipeline.local.sfn;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import dev.hsipipeline.local.sfn.internal.ApiException;
import dev.hsipipeline.local.sfn.internal.HttpApi;
import dev.hsipipeline.local.sfn.internal.Registry;
import dev.hsipipeline.local.sfn.internal.SfnApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local AWS Step Functions server: the AWS JSON 1.0 API (StartExecution, DescribeExecution,
 * ListExecutions, GetExecutionHistory, StopExecution, RedriveExecution, state machine CRUD,
 * validation) on 127.0.0.1, executing definitions with the ASL interpreter, with state machines,
 * executions and history persisted in an embedded H2 database.
 *
 * <pre>{@code
 * try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().port(0).taskInvoker(invoker).build()) {
 *   sfn.start();
 *   String arn = sfn.createOrUpdateStateMachine("pipeline", definitionJson, roleArn);
 *   SfnClient client = SfnClient.builder().endpointOverride(sfn.endpoint())...build();
 * }
 * }</pre>
 */
public final class StepFunctionsLocal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsLocal.class);

  private final String host;
  private final int port;
  private final Registry registry;
  private final ApiAuthorizer authorizer;
  private final Map<String, HttpHandler> contexts = new LinkedHashMap<>();
  private HttpServer server;
  private ExecutorService executor;
  private boolean closed;

  private StepFunctionsLocal(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.authorizer = b.authorizer;
    TaskInvoker invoker =
        b.taskInvoker != null ? b.taskInvoker : StepFunctionsLocal::noLocalHandler;
    this.registry =
        new Registry(
            new Registry.Config(b.region, b.accountId, b.dataDir, invoker, b.hotExecutions));
  }

  public static Builder builder() {
    return new Builder();
  }

  private static com.fasterxml.jackson.databind.JsonNode noLocalHandler(
      dev.hsipipeline.local.sfn.asl.TaskInvocation inv) throws TaskFailedException {
    throw new TaskFailedException(
        "States.TaskFailed", "no local handler for resource " + inv.resource());
  }

  /** Binds the port and starts serving. */
  public synchronized StepFunctionsLocal start() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (server != null) {
      return this;
    }
    // The JDK server otherwise leaves Nagle on, which adds delayed-ACK stalls to small
    // request/response exchanges on keep-alive connections.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot bind the Step Functions server to "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); is another stack running? Choose another port.",
          e);
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext(
        "/", new HttpApi(new SfnApi(registry), () -> hasContext("/console/"), authorizer));
    contexts.forEach(server::createContext);
    server.start();
    LOG.info("Step Functions API listening on {}", endpoint());
    // Executions a previous run left RUNNING continue now that the task invoker can take work.
    registry.resumeInterrupted();
    return this;
  }

  private synchronized boolean hasContext(String prefix) {
    return contexts.containsKey(prefix);
  }

  /** The base URL clients use, e.g. {@code http://127.0.0.1:8083}. */
  public synchronized URI endpoint() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort());
  }

  /**
   * Creates the state machine, or updates its definition/role when they differ. Validates the
   * definition fully.
   *
   * @return the state machine ARN
   * @throws IllegalArgumentException the name, role ARN or definition is invalid (the message lists
   *     every definition error with its location)
   */
  public String createOrUpdateStateMachine(String name, String definitionJson, String roleArn) {
    try {
      return registry.createOrUpdateStateMachine(name, definitionJson, roleArn);
    } catch (ApiException e) {
      throw new IllegalArgumentException(e.code() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Serves {@code handler} under {@code pathPrefix} on the same port (the console mounts {@code
   * /console/}; {@code GET /} then redirects there).
   */
  public synchronized void addHttpContext(String pathPrefix, HttpHandler handler) {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    Objects.requireNonNull(handler, "handler");
    if (!pathPrefix.startsWith("/") || "/".equals(pathPrefix)) {
      throw new IllegalArgumentException(
          "pathPrefix must start with / and not be / itself: " + pathPrefix);
    }
    if (contexts.putIfAbsent(pathPrefix, handler) != null) {
      throw new IllegalArgumentException("A handler is already mounted at " + pathPrefix);
    }
    if (server != null) {
      server.createContext(pathPrefix, handler);
    }
  }

  /** Registers a callback for execution progress. */
  public void addListener(ExecutionListener listener) {
    registry.addListener(listener);
  }

  /** A summary of one execution, or null when no such execution exists. */
  public ExecutionInfo execution(String executionArn) {
    return registry.executionInfo(executionArn);
  }

  /**
   * Blocks until every change made so far (executions, their history, state machines) is committed
   * to the database. Normal operation never needs this; tests and benchmarks do.
   */
  public void flush() {
    registry.flush();
  }

  /** Writes queued for the database writer and not yet picked up (0 when it keeps up). */
  public int pendingWrites() {
    return registry.pendingWrites();
  }

  /**
   * Stops accepting requests, interrupts running executions without recording an outcome (the next
   * start on the same data directory resumes them in the state they were in, ADR 0022), writes
   * everything still queued to the database and closes it.
   */
  @Override
  public void close() {
    HttpServer s;
    ExecutorService ex;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = server;
      ex = executor;
    }
    if (s != null) {
      s.stop(1); // up to 1 s for requests in flight (their writes are still accepted)
    }
    registry.close();
    if (ex != null) {
      ex.shutdown();
      try {
        ex.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Configures a {@link StepFunctionsLocal}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8083;
    private Path dataDir;
    private String region = "us-east-1";
    private String accountId = "000000000000";
    private TaskInvoker taskInvoker;
    private ApiAuthorizer authorizer;
    private int hotExecutions = 2_000;

    private Builder() {}

    /** Address to bind; default and recommended {@code 127.0.0.1}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Port; 0 picks a free one (tests). Default 8083. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** Data folder (H2 database under {@code <dataDir>/stepfunctions/}); null = in memory. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    public Builder accountId(String accountId) {
      this.accountId = Objects.requireNonNull(accountId, "accountId");
      return this;
    }

    /** Runs Task states; default fails them with States.TaskFailed naming the resource. */
    public Builder taskInvoker(TaskInvoker taskInvoker) {
      this.taskInvoker = taskInvoker;
      return this;
    }

    /** Authorises every API call (the local IAM); default: every call is allowed. */
    public Builder authorizer(ApiAuthorizer authorizer) {
      this.authorizer = authorizer;
      return this;
    }

    /**
     * How many ended executions keep input, output and history in memory (newest first); older ones
     * are read from the database on demand. Default 2000.
     */
    public Builder hotExecutions(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("hotExecutions must be >= 0");
      }
      this.hotExecutions = n;
      return this;
    }

    /**
     * Opens the database and restores its state; executions a previous run left running continue at
     * {@link StepFunctionsLocal#start()}.
     */
    public StepFunctionsLocal build() {
      return new StepFunctionsLocal(this);
    }
  }
}
