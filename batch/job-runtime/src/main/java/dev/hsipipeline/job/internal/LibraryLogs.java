package dev.hsipipeline.job.internal;

import dev.hsipipeline.job.JobLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Libraries that log through {@code java.util.logging} (Intel GKL's native loader, Apache SIS)
 * would print two plain-text lines each into a job log whose every other line is JSON, which breaks
 * CloudWatch Logs Insights queries over it. This handler writes their records as job log lines
 * instead (step {@code library}, the logger's name as a field); records below INFO are dropped, as
 * the JVM's default configuration does.
 */
public final class LibraryLogs extends Handler {
  private final JobLog log;
  private final SimpleFormatter formatter = new SimpleFormatter();

  /** A handler writing to {@code log}; {@link #route} installs one for the whole process. */
  public LibraryLogs(JobLog log) {
    this.log = log;
    setLevel(Level.INFO);
  }

  /**
   * Replaces the JVM's console handler with one writing to {@code log}. Only a job's {@code main}
   * calls it: it changes the process-wide logging configuration.
   */
  public static void route(JobLog log) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(Level.INFO);
    root.addHandler(new LibraryLogs(log));
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) return;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("logger", String.valueOf(record.getLoggerName()));
    if (record.getThrown() != null) fields.put("cause", record.getThrown().toString());
    log.log(level(record.getLevel()), "library", formatter.formatMessage(record), fields);
  }

  private static JobLog.Level level(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) return JobLog.Level.ERROR;
    return v >= Level.WARNING.intValue() ? JobLog.Level.WARN : JobLog.Level.INFO;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
