package dev.hsipipeline.local.esm.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda {@code Context} (and its {@code LambdaLogger}) a function's handler receives: proxies
 * of the function's own runtime interfaces, so the handler sees Lambda's names, its remaining time
 * and memory, and logs to the stack's log as {@code lambda.<function>}.
 */
public final class LambdaContexts {
  private static final String RUNTIME = "com.amazonaws.services.lambda.runtime.";

  private final ClassLoader loader;
  private final Class<?> contextType;
  private final Class<?> loggerType;
  private final String functionName;
  private final String arn;
  private final int memoryMib;

  /**
   * @param loader the function's class loader
   * @throws ClassNotFoundException when the function's class path lacks aws-lambda-java-core
   */
  public LambdaContexts(
      ClassLoader loader, String functionName, String region, String accountId, int memoryMib)
      throws ClassNotFoundException {
    this.loader = loader;
    this.contextType = Class.forName(RUNTIME + "Context", false, loader);
    this.loggerType = Class.forName(RUNTIME + "LambdaLogger", false, loader);
    this.functionName = functionName;
    this.arn = "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName;
    this.memoryMib = memoryMib;
  }

  /** The function's {@code Context} interface (its handler takes it). */
  public Class<?> contextType() {
    return contextType;
  }

  /** A Context for one invocation ({@code deadline}: epoch millis when it times out). */
  public Object create(String requestId, long deadline) {
    Logger fnLog = LoggerFactory.getLogger("lambda." + functionName);
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
              case "getLogGroupName" -> "/aws/lambda/" + functionName;
              case "getLogStreamName" -> "local/[$LATEST]" + requestId.replace("-", "");
              case "getFunctionName" -> functionName;
              case "getFunctionVersion" -> "$LATEST";
              case "getInvokedFunctionArn" -> arn;
              case "getIdentity", "getClientContext" -> null;
              case "getRemainingTimeInMillis" ->
                  (int) Math.max(0, deadline - System.currentTimeMillis());
              case "getMemoryLimitInMB" -> memoryMib;
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
}
