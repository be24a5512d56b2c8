package dev.hsipipeline.local.testlambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Lambda handler for event source mapping tests, run from its own jar. It appends one line per
 * record to {@code $OUT_FILE} describing what it received, fails records whose body contains "fail"
 * and throws for a body "throw" (whole batch fails).
 */
public final class RecordingHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final Path out;

  public RecordingHandler(Map<String, String> env) {
    this.out = Path.of(env.get("OUT_FILE"));
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    boolean throwIt = false;
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      SQSEvent.MessageAttribute color =
          m.getMessageAttributes() == null ? null : m.getMessageAttributes().get("color");
      lines
          .append(
              String.join(
                  "\t",
                  m.getBody(),
                  m.getMessageId(),
                  String.valueOf(m.getReceiptHandle() != null),
                  m.getEventSource(),
                  m.getEventSourceArn(),
                  m.getAwsRegion(),
                  m.getMd5OfBody(),
                  String.valueOf(m.getAttributes().get("ApproximateReceiveCount")),
                  String.valueOf(m.getAttributes().get("SentTimestamp") != null),
                  color == null ? "-" : color.getDataType() + ":" + color.getStringValue(),
                  String.valueOf(event.getRecords().size()),
                  // isolation: the event classes come from the function's jar, not the stack's
                  // class path
                  SQSEvent.class.getClassLoader() == ClassLoader.getSystemClassLoader()
                      ? "app-loader"
                      : "own-loader",
                  context.getFunctionName(),
                  String.valueOf(context.getRemainingTimeInMillis() > 0)))
          .append('\n');
      if (m.getBody().contains("fail")) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
      if (m.getBody().equals("throw")) {
        throwIt = true;
      }
    }
    context.getLogger().log("handled " + event.getRecords().size() + " record(s)");
    try {
      Files.writeString(
          out, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (throwIt) {
      throw new IllegalStateException("asked to throw");
    }
    return new SQSBatchResponse(failures);
  }
}
