package dev.hsipipeline.local.esm;

import dev.hsipipeline.local.esm.internal.BatchResponses;
import dev.hsipipeline.local.esm.internal.InvokePayload;
import dev.hsipipeline.local.esm.internal.LambdaContexts;
import dev.hsipipeline.local.esm.internal.SqsEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A Java Lambda function loaded from its deployable artifact the way the Lambda runtime loads it:
 * in its own class loader whose parent is the platform class loader, so the function sees its own
 * bundled libraries (AWS SDK, Jackson, ...) and never the stack's. Only the runtime-provided {@code
 * aws-lambda-java-core} interfaces are added when the artifact does not bundle them.
 *
 * <p>Events are built with the function's own copies of the {@code aws-lambda-java-events} classes
 * (through reflection), the {@code Context} is a {@link Proxy} of the function's interface, and the
 * handler's {@code SQSBatchResponse} is read back reflectively. Like Lambda, each concurrent
 * invocation gets its own handler instance (created on demand, then reused warm); instances share
 * the class loader.
 */
public final class LambdaFunction implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LambdaFunction.class);
  private static final String RUNTIME = "com.amazonaws.services.lambda.runtime.";

  /**
   * @param artifact the deployable jar
   * @param handlerClass the handler's class name
   * @param functionName the function's name (Context, log lines)
   * @param environment the function's environment variables; handed to a constructor taking a
   *     {@code Map<String,String>} when the handler has one
   * @param region region for the function ARN
   * @param accountId account for the function ARN
   * @param memoryMib reported by {@code Context.getMemoryLimitInMB()}
   * @param timeoutMillis the function timeout; a longer invocation counts as failed
   */
  public record Config(
      Path artifact,
      String handlerClass,
      String functionName,
      Map<String, String> environment,
      String region,
      String accountId,
      int memoryMib,
      long timeoutMillis) {
    public Config {
      Objects.requireNonNull(artifact, "artifact");
      Objects.requireNonNull(handlerClass, "handlerClass");
      environment = Map.copyOf(environment);
    }
  }

  /** What an invocation returned: the message ids to leave on the queue. */
  public record Result(Set<String> failedMessageIds, String error) {
    public Result {
      failedMessageIds = Set.copyOf(failedMessageIds);
    }

    public boolean allSucceeded() {
      return failedMessageIds.isEmpty();
    }
  }

  private final Config config;
  private final URLClassLoader loader;
  private final Class<?> handlerType;
  private final Method handleRequest;
  private final SqsEvents events;
  private final LambdaContexts contexts;
  private final ConcurrentLinkedDeque<Object> warm = new ConcurrentLinkedDeque<>();

  private LambdaFunction(Config config, URLClassLoader loader) throws ReflectiveOperationException {
    this.config = config;
    this.loader = loader;
    this.handlerType = Class.forName(config.handlerClass(), false, loader);
    this.events = new SqsEvents(loader, config.region());
    this.contexts =
        new LambdaContexts(
            loader, config.functionName(), config.region(), config.accountId(), config.memoryMib());
    Method found = null;
    for (Method m : handlerType.getMethods()) {
      if (m.getName().equals("handleRequest")
          && m.getParameterCount() == 2
          && m.getParameterTypes()[0].isAssignableFrom(events.eventType())
          && m.getParameterTypes()[1] == contexts.contextType()
          && !m.isBridge()) {
        found = m;
      }
    }
    if (found == null) {
      throw new IllegalArgumentException(
          config.handlerClass()
              + " in "
              + config.artifact()
              + " has no public handleRequest(SQSEvent, Context)");
    }
    this.handleRequest = found;
  }

  /**
   * Loads the function and creates its first (warm) instance, running its initialisation code as a
   * cold start would.
   *
   * @throws IllegalArgumentException when the artifact is missing or lacks the handler or the
   *     Lambda event classes, naming what to do
   */
  public static LambdaFunction load(Config config) {
    Path jar = config.artifact();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "Lambda artifact " + jar + " does not exist — build it with ./pipeline build");
    }
    List<URL> urls = new ArrayList<>();
    boolean bundlesCore;
    try (JarFile jf = new JarFile(jar.toFile())) {
      urls.add(jar.toUri().toURL());
      bundlesCore = jf.getEntry("com/amazonaws/services/lambda/runtime/Context.class") != null;
      if (jf.getEntry("com/amazonaws/services/lambda/runtime/events/SQSEvent.class") == null) {
        throw new IllegalArgumentException(
            "Lambda artifact "
                + jar
                + " does not bundle aws-lambda-java-events (SQSEvent); a deployable function jar must");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Lambda artifact " + jar + " is not a readable jar: " + e.getMessage(), e);
    }
    if (!bundlesCore) {
      urls.add(runtimeCoreJar());
    }
    URLClassLoader loader =
        new URLClassLoader(
            "lambda:" + config.functionName(),
            urls.toArray(URL[]::new),
            ClassLoader.getPlatformClassLoader());
    try {
      LambdaFunction f = new LambdaFunction(config, loader);
      f.warm.push(f.newInstance());
      return f;
    } catch (ReflectiveOperationException | LinkageError e) {
      closeQuietly(loader);
      throw new IllegalArgumentException(
          "cannot load handler " + config.handlerClass() + " from " + jar + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(loader);
      throw e;
    }
  }

  private static URL runtimeCoreJar() {
    try {
      return Class.forName(RUNTIME + "Context")
          .getProtectionDomain()
          .getCodeSource()
          .getLocation()
          .toURI()
          .toURL();
    } catch (ReflectiveOperationException
        | java.net.URISyntaxException
        | MalformedURLException
        | NullPointerException e) {
      throw new IllegalStateException("aws-lambda-java-core is not on the stack's class path", e);
    }
  }

  /** The function's class loader (tests check isolation). */
  public ClassLoader classLoader() {
    return loader;
  }

  private Object newInstance() throws ReflectiveOperationException {
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(loader);
    try {
      Constructor<?> withEnv = null;
      for (Constructor<?> c : handlerType.getConstructors()) {
        if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Map.class) {
          withEnv = c;
        }
      }
      if (withEnv != null) {
        return withEnv.newInstance(config.environment());
      }
      LOG.warn(
          "{} has no (Map<String,String> environment) constructor; it reads this JVM's environment",
          handlerType.getName());
      return handlerType.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "handler initialisation failed: " + e.getCause(), e.getCause());
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  /**
   * The bytes a message takes in this function's SQS event (see {@link InvokePayload}): an event
   * source mapping adds records to a batch only while the event stays within Lambda's synchronous
   * invocation payload quota.
   */
  public long recordBytes(Message m, String eventSourceArn) {
    return InvokePayload.recordBytes(m, eventSourceArn, config.region());
  }

  /**
   * Invokes the handler with one SQS batch. A handler exception, a timeout or an invalid batch
   * response fails the whole batch (as Lambda does); otherwise the failures are the response's
   * {@code batchItemFailures}. An event larger than Lambda's 6 MB synchronous invocation payload is
   * refused, as Lambda refuses it, without running the handler.
   */
  public Result invoke(List<Message> batch, String eventSourceArn) {
    Set<String> all = new LinkedHashSet<>();
    batch.forEach(m -> all.add(m.messageId()));
    long recordBytes = 0;
    for (Message m : batch) {
      recordBytes += recordBytes(m, eventSourceArn);
    }
    long eventBytes = InvokePayload.eventBytes(recordBytes, batch.size());
    if (!InvokePayload.fits(eventBytes)) {
      LOG.warn(
          "{}: an event of {} records and {} bytes was refused: {}",
          config.functionName(),
          batch.size(),
          eventBytes,
          InvokePayload.TOO_LARGE);
      return new Result(all, InvokePayload.TOO_LARGE);
    }
    Object instance = warm.poll();
    String requestId = UUID.randomUUID().toString();
    long start = System.nanoTime();
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(loader);
    try {
      if (instance == null) {
        instance = newInstance();
      }
      Object event = events.build(batch, eventSourceArn);
      long deadline = System.currentTimeMillis() + config.timeoutMillis();
      Object context = contexts.create(requestId, deadline);
      Object response = handleRequest.invoke(instance, event, context);
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      if (tookMs > config.timeoutMillis()) {
        String msg = "Task timed out after " + String.format("%.2f", tookMs / 1000.0) + " seconds";
        LOG.warn("{} {}: {}", config.functionName(), requestId, msg);
        return new Result(all, msg);
      }
      Set<String> failed = BatchResponses.failures(response, all);
      if (failed == null) {
        String msg =
            "invalid batchItemFailures (an itemIdentifier is empty or not in the batch): the whole batch failed";
        LOG.warn("{} {}: {}", config.functionName(), requestId, msg);
        return new Result(all, msg);
      }
      LOG.debug(
          "{} {}: {} records, {} failed, {} ms",
          config.functionName(),
          requestId,
          batch.size(),
          failed.size(),
          tookMs);
      return new Result(failed, null);
    } catch (InvocationTargetException e) {
      Throwable t = e.getCause();
      LOG.warn(
          "{} {}: handler threw {} — the whole batch of {} will be redelivered",
          config.functionName(),
          requestId,
          t,
          batch.size());
      return new Result(all, String.valueOf(t));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.warn("{} {}: invocation failed: {}", config.functionName(), requestId, e.toString());
      instance = null; // a broken environment is not reused
      return new Result(all, e.toString());
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
      if (instance != null) {
        warm.push(instance);
      }
    }
  }

  /** Closes the handler instances that are AutoCloseable, then the class loader. */
  @Override
  public void close() {
    Object i;
    while ((i = warm.poll()) != null) {
      if (i instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.debug("closing handler instance: {}", e.toString());
        }
      }
    }
    closeQuietly(loader);
  }

  private static void closeQuietly(URLClassLoader l) {
    try {
      l.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
