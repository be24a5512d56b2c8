package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Wait: Seconds, Timestamp, SecondsPath or TimestampPath (exactly one); the sleep is interruptible.
 */
public final class WaitState extends State {
  private final long seconds;
  private final Instant timestamp;
  private final ReferencePath secondsPath;
  private final ReferencePath timestampPath;

  WaitState(
      String name,
      String next,
      IoPath inputPath,
      IoPath outputPath,
      long seconds,
      Instant timestamp,
      ReferencePath secondsPath,
      ReferencePath timestampPath) {
    super(name, next, inputPath, outputPath);
    this.seconds = seconds;
    this.timestamp = timestamp;
    this.secondsPath = secondsPath;
    this.timestampPath = timestampPath;
  }

  @Override
  String type() {
    return "Wait";
  }

  @Override
  Step execute(Engine engine, Frame frame, JsonNode input)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    ContextObject ctx = frame.context();
    JsonNode effective = inputPath.apply("InputPath", input, ctx);
    Duration wait;
    if (secondsPath != null) {
      JsonNode v = secondsPath.read(effective);
      if (v == null || !v.isIntegralNumber() || v.longValue() < 0) {
        throw new StateFailure(
            Errors.RUNTIME,
            "The SecondsPath parameter '"
                + secondsPath.text()
                + "' does not reference a valid non-negative integer value: "
                + (v == null ? "missing" : Json.write(v)));
      }
      wait = Duration.ofSeconds(v.longValue());
    } else if (timestampPath != null) {
      JsonNode v = timestampPath.read(effective);
      OffsetDateTime t =
          v != null && v.isTextual() ? ChoiceRule.parseTimestamp(v.textValue()) : null;
      if (t == null) {
        throw new StateFailure(
            Errors.RUNTIME,
            "The TimestampPath parameter '"
                + timestampPath.text()
                + "' does not reference a valid ISO-8601 extended offset date-time format string: "
                + (v == null ? "missing" : Json.write(v)));
      }
      wait = Duration.between(engine.now(), t.toInstant());
    } else if (timestamp != null) {
      wait = Duration.between(engine.now(), timestamp);
    } else {
      wait = Duration.ofSeconds(seconds);
    }
    if (!wait.isNegative() && !wait.isZero()) {
      engine.sleep(frame, wait);
    }
    return new Step(outputPath.apply("OutputPath", effective, ctx), next);
  }
}
