package dev.hsipipeline.trigger.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hsipipeline.trigger.SfnTriggerHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Cold path of the trigger in a fresh JVM, as a Lambda cold start does it: construct the handler
 * from the process environment (no-arg constructor), handle one SQS batch read from a file, exit.
 * Uses only classes inside {@code sfn-trigger.jar} (jackson-core for the event file), so it runs
 * as {@code java -cp target/sfn-trigger.jar:target/test-classes ...ColdStartMain event.json}.
 * {@code --fresh-ids} replaces message ids with random UUIDs so repeated runs start new executions.
 */
public final class ColdStartMain {
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    boolean fresh = args.length > 1 && args[1].equals("--fresh-ids");
    SQSEvent event = read(Path.of(args[0]), fresh);
    SfnTriggerHandler handler = new SfnTriggerHandler();
    long t1 = System.nanoTime();
    SQSBatchResponse response = handler.handleRequest(event, null);
    long t2 = System.nanoTime();
    System.err.printf("{\"bench\":\"trigger-cold\",\"records\":%d,\"failed\":%d,\"initMs\":%.1f,\"handleMs\":%.1f}%n",
        event.getRecords().size(), response.getBatchItemFailures().size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    System.exit(response.getBatchItemFailures().isEmpty() ? 0 : 1);
  }

  static SQSEvent read(Path file, boolean freshIds) throws Exception {
    List<SQSMessage> records = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(Files.readAllBytes(file))) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("Records")) {
          p.nextToken();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            SQSMessage m = new SQSMessage();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              p.nextToken();
              switch (f) {
                case "messageId" -> m.setMessageId(freshIds ? UUID.randomUUID().toString() : p.getText());
                case "body" -> m.setBody(p.getText());
                case "eventSourceARN" -> m.setEventSourceArn(p.getText());
                case "receiptHandle" -> m.setReceiptHandle(p.getText());
                case "awsRegion" -> m.setAwsRegion(p.getText());
                case "eventSource" -> m.setEventSource(p.getText());
                default -> p.skipChildren();
              }
            }
            records.add(m);
          }
        }
      }
    }
    SQSEvent e = new SQSEvent();
    e.setRecords(records);
    return e;
  }

  private ColdStartMain() {}
}
