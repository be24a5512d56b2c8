package dev.hsipipeline.local.esm;

import dev.hsipipeline.local.esm.internal.InvokePayload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

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
  private static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";
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
  private final Class<?> sqsEventType;
  private final Class<?> sqsMessageType;
  private final Class<?> attributeType;
  private final Class<?> contextType;
  private final Class<?> loggerType;
  private final ConcurrentLinkedDeque<Object> warm = new ConcurrentLinkedDeque<>();

  private LambdaFunction(Config config, URLClassLoader loader) throws ReflectiveOperationException {
    this.config = config;
    this.loader = loader;
    this.handlerType = Class.forName(config.handlerClass(), false, loader);
    this.sqsEventType = Class.forName(EVENTS + "SQSEvent", false, loader);
    this.sqsMessageType = Class.forName(EVENTS + "SQSEvent$SQSMessage", false, loader);
    this.attributeType = Class.forName(EVENTS + "SQSEvent$MessageAttribute", false, loader);
    this.contextType = Class.forName(RUNTIME + "Context", false, loader);
    this.loggerType = Class.forName(RUNTIME + "LambdaLogger", false, loader);
    Method found = null;
    for (Method m : handlerType.getMethods()) {
      if (m.getName().equals("handleRequest")
          && m.getParameterCount() == 2
          && m.getParameterTypes()[0].isAssignableFrom(sqsEventType)
          && m.getParameterTypes()[1] == contextType
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
      Object event = buildEvent(batch, eventSourceArn);
      long deadline = System.currentTimeMillis() + config.timeoutMillis();
      Object context = context(requestId, deadline);
      Object response = handleRequest.invoke(instance, event, context);
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      if (tookMs > config.timeoutMillis()) {
        String msg = "Task timed out after " + String.format("%.2f", tookMs / 1000.0) + " seconds";
        LOG.warn("{} {}: {}", config.functionName(), requestId, msg);
        return new Result(all, msg);
      }
      Set<String> failed = failures(response, all);
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

  /** Builds the SQSEvent with the function's own event classes, shaped as Lambda's ESM does. */
  private Object buildEvent(List<Message> batch, String eventSourceArn)
      throws ReflectiveOperationException {
    List<Object> records = new ArrayList<>(batch.size());
    for (Message m : batch) {
      Object r = sqsMessageType.getConstructor().newInstance();
      set(r, "setMessageId", String.class, m.messageId());
      set(r, "setReceiptHandle", String.class, m.receiptHandle());
      set(r, "setBody", String.class, m.body());
      Map<String, String> attrs = new LinkedHashMap<>();
      m.attributesAsStrings().forEach(attrs::put);
      set(r, "setAttributes", Map.class, attrs);
      Map<String, Object> msgAttrs = new LinkedHashMap<>();
      for (Map.Entry<String, MessageAttributeValue> e : m.messageAttributes().entrySet()) {
        MessageAttributeValue v = e.getValue();
        Object a = attributeType.getConstructor().newInstance();
        set(a, "setDataType", String.class, v.dataType());
        set(a, "setStringValue", String.class, v.stringValue());
        set(
            a,
            "setBinaryValue",
            ByteBuffer.class,
            v.binaryValue() == null ? null : v.binaryValue().asByteBuffer());
        set(a, "setStringListValues", List.class, new ArrayList<>(v.stringListValues()));
        List<ByteBuffer> bins = new ArrayList<>();
        v.binaryListValues().forEach(b -> bins.add(b.asByteBuffer()));
        set(a, "setBinaryListValues", List.class, bins);
        msgAttrs.put(e.getKey(), a);
      }
      set(r, "setMessageAttributes", Map.class, msgAttrs);
      set(r, "setMd5OfBody", String.class, m.md5OfBody() != null ? m.md5OfBody() : md5(m.body()));
      if (m.md5OfMessageAttributes() != null) {
        set(r, "setMd5OfMessageAttributes", String.class, m.md5OfMessageAttributes());
      }
      set(r, "setEventSource", String.class, "aws:sqs");
      set(r, "setEventSourceArn", String.class, eventSourceArn);
      set(r, "setAwsRegion", String.class, config.region());
      records.add(r);
    }
    Object event = sqsEventType.getConstructor().newInstance();
    set(event, "setRecords", List.class, records);
    return event;
  }

  private static void set(Object target, String setter, Class<?> type, Object value)
      throws ReflectiveOperationException {
    target.getClass().getMethod(setter, type).invoke(target, value);
  }

  private static String md5(String body) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Failed ids from an SQSBatchResponse (or a Map of the same shape); null = invalid response. */
  private static Set<String> failures(Object response, Set<String> batchIds)
      throws ReflectiveOperationException {
    if (response == null) {
      return Set.of();
    }
    Object list;
    if (response instanceof Map<?, ?> map) {
      list = map.get("batchItemFailures");
    } else {
      list = response.getClass().getMethod("getBatchItemFailures").invoke(response);
    }
    if (list == null) {
      return Set.of();
    }
    Set<String> failed = new LinkedHashSet<>();
    for (Object item : (Iterable<?>) list) {
      Object id =
          item instanceof Map<?, ?> m
              ? m.get("itemIdentifier")
              : item.getClass().getMethod("getItemIdentifier").invoke(item);
      if (!(id instanceof String s) || s.isEmpty() || !batchIds.contains(s)) {
        return null;
      }
      failed.add(s);
    }
    return failed;
  }

  private Object context(String requestId, long deadline) {
    String arn =
        "arn:aws:lambda:"
            + config.region()
            + ":"
            + config.accountId()
            + ":function:"
            + config.functionName();
    Logger fnLog = LoggerFactory.getLogger("lambda." + config.functionName());
    Object lambdaLogger =
        Proxy.newProxyInstance(
            loader,
            new Class<?>[] {loggerType},
            (proxy, m, args) -> {
              if (m.getName().equals("log") && args != null && args.length >= 1) {
                String line =
                    args[0] instanceof byte[] b
                        ? new String(b, StandardCharsets.UTF_8)
                        : String.valueOf(args[0]);
                fnLog.info("{}", line.stripTrailing());
                return null;
              }
              return objectMethod(proxy, m, args, "LambdaLogger");
            });
    InvocationHandler h =
        (proxy, m, args) ->
            switch (m.getName()) {
              case "getAwsRequestId" -> requestId;
              case "getLogGroupName" -> "/aws/lambda/" + config.functionName();
              case "getLogStreamName" -> "local/[$LATEST]" + requestId.replace("-", "");
              case "getFunctionName" -> config.functionName();
              case "getFunctionVersion" -> "$LATEST";
              case "getInvokedFunctionArn" -> arn;
              case "getIdentity", "getClientContext" -> null;
              case "getRemainingTimeInMillis" ->
                  (int) Math.max(0, deadline - System.currentTimeMillis());
              case "getMemoryLimitInMB" -> config.memoryMib();
              case "getLogger" -> lambdaLogger;
              default -> objectMethod(proxy, m, args, "Context");
            };
    return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, h);
  }

  private static Object objectMethod(Object proxy, Method m, Object[] args, String what)
      throws Throwable {
    return switch (m.getName()) {
      case "toString" -> "local " + what;
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> {
        if (m.isDefault()) {
          yield InvocationHandler.invokeDefault(proxy, m, args);
        }
        throw new UnsupportedOperationException(
            what + "." + m.getName() + " is not available locally");
      }
    };
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
