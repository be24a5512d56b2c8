package dev.hsipipeline.local.aws.internal;

import java.lang.reflect.Method;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded servers' chatty loggers (S3Proxy logs every request at DEBUG, Jetty and Pekko
 * log their life cycle at INFO/DEBUG) at WARN when the embedding application did not configure them
 * itself.
 *
 * <p>Works through reflection so this module does not force a logging backend on its users: with
 * Logback, a logger whose level is not set explicitly (by {@code logback.xml} or the shipped {@code
 * logback-aws-servers.xml} include) is set to WARN; with any other backend nothing happens.
 */
public final class QuietLogging {

  /** Logger name prefixes of the embedded servers and their libraries. */
  public static final List<String> NOISY_LOGGERS =
      List.of(
          "org.gaul",
          "org.eclipse.jetty",
          "org.elasticmq",
          "org.apache.pekko",
          "pekko",
          "io.opentelemetry",
          "io.prometheus",
          "com.zaxxer",
          "scalikejdbc",
          "software.amazon.awssdk");

  private QuietLogging() {}

  /** Applies WARN to every {@link #NOISY_LOGGERS} entry without an explicit level. */
  public static void apply() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
      return;
    }
    try {
      ClassLoader cl = factory.getClass().getClassLoader();
      Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", true, cl);
      Object warn = levelClass.getField("WARN").get(null);
      Method getLogger = factory.getClass().getMethod("getLogger", String.class);
      for (String name : NOISY_LOGGERS) {
        Object logger = getLogger.invoke(factory, name);
        Method getLevel = logger.getClass().getMethod("getLevel");
        if (getLevel.invoke(logger) == null) {
          logger.getClass().getMethod("setLevel", levelClass).invoke(logger, warn);
        }
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      // Logging levels are a convenience; never fail a server start because of them.
    }
  }
}
