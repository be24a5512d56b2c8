package dev.hsipipeline.trigger.internal;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One JSON object per line on stdout (CloudWatch Logs on AWS, the function log locally), e.g.
 * {@code {"time":"…","level":"ERROR","logger":"sfn-trigger","event":"record_failed",…}}. Log
 * Insights can filter on any field.
 */
public final class JsonLog {

  private final PrintStream out;

  /** Logs to {@code out}. */
  public JsonLog(PrintStream out) {
    this.out = out;
  }

  /** Writes one line with the given level, event name and extra fields. */
  public void log(String level, String event, Json.ObjectWriter fields) {
    String line =
        Json.object(
            g -> {
              g.writeStringField("time", Instant.now().toString());
              g.writeStringField("level", level);
              g.writeStringField("logger", "sfn-trigger");
              g.writeStringField("event", event);
              fields.write(g);
            });
    out.println(line);
  }

  /** Normal progress, e.g. a batch received or a redelivery recognised. */
  public void info(String event, Json.ObjectWriter fields) {
    log("INFO", event, fields);
  }

  /** A record or batch that failed: it goes back to SQS and, if it keeps failing, to the DLQ. */
  public void error(String event, Json.ObjectWriter fields) {
    log("ERROR", event, fields);
  }
}
