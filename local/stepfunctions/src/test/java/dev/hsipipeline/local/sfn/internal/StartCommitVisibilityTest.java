package dev.hsipipeline.local.sfn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * An execution becomes visible to reads only once its start is committed: until then a kill could
 * undo it, so ListExecutions must not list it and a read by ARN (DescribeExecution, a repeated
 * StartExecution of a redelivered message) waits for the commit instead of answering at once.
 */
class StartCommitVisibilityTest {
  private static final String MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:m";
  private static final String EXECUTION = "arn:aws:states:us-east-1:000000000000:execution:m:e1";

  @Test
  void anUncommittedStartIsNeitherListedNorReadUntilItsCommit() throws Exception {
    ExecutionIndex index = new ExecutionIndex(10);
    index.addMachine(MACHINE);
    CompletableFuture<Void> commit = new CompletableFuture<>();
    ExecutionRecord rec =
        new ExecutionRecord(
            index.nextSeq(),
            EXECUTION,
            "e1",
            MACHINE,
            "m",
            null,
            System.currentTimeMillis(),
            "{}",
            commit);
    index.add(index.of(MACHINE), rec);

    assertTrue(
        index.page(MACHINE, null, null, 100, null).items().isEmpty(),
        "an execution whose start a kill could still undo was listed");
    CompletableFuture<ExecutionRecord> read =
        CompletableFuture.supplyAsync(() -> index.require(EXECUTION));
    assertThrows(
        TimeoutException.class,
        () -> read.get(300, TimeUnit.MILLISECONDS),
        "a read by ARN answered before the start was committed");

    commit.complete(null);

    assertSame(rec, read.get(10, TimeUnit.SECONDS));
    assertEquals(List.of(rec), index.page(MACHINE, null, null, 100, null).items());
  }
}
