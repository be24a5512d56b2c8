package dev.hsipipeline.bench.probe;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.hsipipeline.trigger.SfnTriggerHandler;
import java.lang.management.ManagementFactory;

/**
 * Benchmark 2's Java side: one warm handler instance (a warm Lambda execution environment) handling
 * many batches; reports records/s and bytes allocated per record by this JVM (handler, SDK client,
 * JSON logging — the server runs in another process).
 *
 * <p>Args: {@code <prefix> <batches> <batch-size> <warmup-batches> <queue-arn>}. Prints {@code
 * RESULT {json}}.
 */
public final class WarmTrigger {
  private WarmTrigger() {}

  public static void main(String[] args) {
    String prefix = args[0];
    int batches = Integer.parseInt(args[1]);
    int size = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    String queueArn = args[4];
    SfnTriggerHandler handler = new SfnTriggerHandler();
    for (int b = 0; b < warmup; b++) {
      check(handler.handleRequest(ColdTrigger.event(prefix + "-w" + b, size, queueArn), null));
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long bytes0 = threads.getTotalThreadAllocatedBytes();
    long t0 = System.nanoTime();
    for (int b = 0; b < batches; b++) {
      check(handler.handleRequest(ColdTrigger.event(prefix + "-m" + b, size, queueArn), null));
    }
    long t1 = System.nanoTime();
    long bytes1 = threads.getTotalThreadAllocatedBytes();
    long records = (long) batches * size;
    System.out.println(
        "RESULT {\"recordsPerSecond\":"
            + records / ((t1 - t0) / 1e9)
            + ",\"bytesPerRecord\":"
            + (bytes0 < 0 || bytes1 < 0 ? -1 : (bytes1 - bytes0) / records)
            + ",\"records\":"
            + records
            + "}");
    System.exit(0);
  }

  private static void check(SQSBatchResponse r) {
    if (!r.getBatchItemFailures().isEmpty()) {
      System.err.println(r.getBatchItemFailures().size() + " record(s) failed");
      System.exit(3);
    }
  }
}
