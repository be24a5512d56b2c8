package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * Wait: Seconds, Timestamp, SecondsPath or TimestampPath (exactly one); the sleep is interruptible.
 */
public final class WaitState extends State {
  static final Set<String> FIELDS =
      Set.of(
          "Next",
          "End",
          "InputPath",
          "OutputPath",
          "Seconds",
          "Timestamp",
          "SecondsPath",
          "TimestampPath");

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

  static WaitState parse(StateSpec s) {
    JsonNode node = s.node;
    String loc = s.loc;
    int count = 0;
    long seconds = 0;
    Instant timestamp = null;
    ReferencePath secondsPath = null;
    ReferencePath timestampPath = null;
    if (node.has("Seconds")) {
      count++;
      JsonNode v = node.get("Seconds");
      if (!v.isIntegralNumber() || v.longValue() < 0 || v.longValue() > 99_999_999) {
        s.problem(
            Problems.SCHEMA,
            loc + "/Seconds",
            "'Seconds' must be a non-negative integer (at most 99999999)");
      } else {
        seconds = v.longValue();
      }
    }
    if (node.has("Timestamp")) {
      count++;
      JsonNode v = node.get("Timestamp");
      OffsetDateTime t = v.isTextual() ? ChoiceRule.parseTimestamp(v.textValue()) : null;
      if (t == null) {
        s.problem(
            Problems.SCHEMA,
            loc + "/Timestamp",
            "'Timestamp' must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z");
      } else {
        timestamp = t.toInstant();
      }
    }
    if (node.has("SecondsPath")) {
      count++;
      secondsPath = s.fields.refPath(node, "SecondsPath", loc);
    }
    if (node.has("TimestampPath")) {
      count++;
      timestampPath = s.fields.refPath(node, "TimestampPath", loc);
    }
    if (count != 1) {
      s.problem(
          Problems.SCHEMA,
          loc,
          "A Wait state needs exactly one of 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath' (found "
              + count
              + ")");
    }
    return new WaitState(
        s.name, s.next, s.inputPath, s.outputPath, seconds, timestamp, secondsPath, timestampPath);
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
