package dev.hsipipeline.trigger;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds SQS events from the fixtures under src/test/resources/sqs/. */
final class Events {
  private Events() {}

  static SQSEvent load(String fixture) {
    return EventLoader.loadSQSEvent(fixture);
  }

  /** {@code n} records with fresh UUID message ids and small JSON bodies. */
  static SQSEvent generated(int n, String queueName) {
    List<SQSMessage> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      records.add(
          message(
              UUID.randomUUID().toString(),
              "{\"scene\":\"s3://hsi-data/scenes/" + i + ".hdr\"}",
              queueName));
    }
    SQSEvent e = new SQSEvent();
    e.setRecords(records);
    return e;
  }

  static SQSEvent of(SQSMessage... messages) {
    SQSEvent e = new SQSEvent();
    e.setRecords(new ArrayList<>(List.of(messages)));
    return e;
  }

  static SQSMessage message(String id, String body, String queueName) {
    SQSMessage m = new SQSMessage();
    m.setMessageId(id);
    m.setReceiptHandle("AQEB" + id);
    m.setBody(body);
    m.setEventSource("aws:sqs");
    m.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:" + queueName);
    m.setAwsRegion("us-east-1");
    m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
    m.setMessageAttributes(Map.of());
    return m;
  }
}
