package dev.hsipipeline.bench.probe;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.hsipipeline.trigger.SfnTriggerHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 1's Java side: a fresh JVM that does what a cold Lambda execution environment does —
 * construct the handler from the process environment (init), handle one SQS batch against the Step
 * Functions endpoint in {@code AWS_ENDPOINT_URL_SFN}, exit. Runs with ONLY the deployable {@code
 * sfn-trigger.jar} and this probe jar on the class path.
 *
 * <p>Args: {@code <message-id-prefix> <records> <queue-arn>}. Prints {@code RESULT {json}}.
 */
public final class ColdTrigger {
  private ColdTrigger() {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    String prefix = args[0];
    int n = Integer.parseInt(args[1]);
    String queueArn = args[2];
    SfnTriggerHandler handler = new SfnTriggerHandler();
    long t1 = System.nanoTime();
    SQSEvent event = event(prefix, n, queueArn);
    SQSBatchResponse response = handler.handleRequest(event, null);
    long t2 = System.nanoTime();
    int failures = response.getBatchItemFailures().size();
    System.out.println(
        "RESULT {\"initMs\":"
            + (t1 - t0) / 1e6
            + ",\"invokeMs\":"
            + (t2 - t1) / 1e6
            + ",\"records\":"
            + n
            + ",\"failures\":"
            + failures
            + "}");
    System.exit(failures == 0 ? 0 : 3);
  }

  static SQSEvent event(String prefix, int n, String queueArn) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
      m.setMessageId(prefix + "-" + i);
      m.setReceiptHandle("rh-" + prefix + "-" + i);
      m.setBody("{\"scene\":\"s3://hsi-data/scenes/bench-" + i + ".hdr\",\"seq\":" + i + "}");
      m.setEventSource("aws:sqs");
      m.setEventSourceArn(queueArn);
      m.setAwsRegion("us-east-1");
      records.add(m);
    }
    SQSEvent e = new SQSEvent();
    e.setRecords(records);
    return e;
  }
}
