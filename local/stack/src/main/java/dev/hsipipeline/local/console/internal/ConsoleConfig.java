package dev.hsipipeline.local.console.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the console's API needs from the local stack.
 *
 * @param sqs a client for the local SQS endpoint (owned by the caller)
 * @param queues the queues the console lists, in display order
 * @param dataDir the local data dir; Batch job records live under {@code batch/jobs} and {@code
 *     batch/logs} in it
 */
public record ConsoleConfig(SqsClient sqs, List<QueueBinding> queues, Path dataDir) {
  public ConsoleConfig {
    Objects.requireNonNull(sqs, "sqs");
    Objects.requireNonNull(dataDir, "dataDir");
    queues = List.copyOf(queues);
  }
}
