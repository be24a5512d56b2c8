package dev.hsipipeline.local.sfn.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A write queued for the {@link GroupCommitWriter}. Ops that carry a {@code durable} future have it
 * completed once the commit containing them is done (exceptionally when the write was dropped).
 */
sealed interface WriteOp {

  /**
   * A new RUNNING execution (or, when its end is in the same batch, one row in its final state).
   */
  record InsertExecution(ExecutionRecord rec, String input, CompletableFuture<Void> durable)
      implements WriteOp {}

  /** One history event of execution {@code seq}. */
  record AppendEvent(long seq, HistoryEvent event) implements WriteOp {}

  /** An execution's status change: its end, or RUNNING again for a redrive. */
  record FinishExecution(
      ExecutionRecord rec,
      String status,
      long stopMillis,
      String output,
      String error,
      String cause,
      int lastEventId,
      int redriveCount,
      long redriveMillis)
      implements WriteOp {

    /** The execution's state as {@code s} shows it. */
    static FinishExecution of(ExecutionRecord rec, ExecutionRecord.Snapshot s) {
      return new FinishExecution(
          rec,
          s.status(),
          s.stopMillis(),
          s.output(),
          s.error(),
          s.cause(),
          s.lastEventId(),
          s.redriveCount(),
          s.redriveMillis());
    }
  }

  record UpsertStateMachine(StateMachineRecord sm, CompletableFuture<Void> durable)
      implements WriteOp {}

  /** Removes a state machine and the executions listed (its closed ones). */
  record DeleteStateMachine(String arn, List<Long> executionSeqs, CompletableFuture<Void> durable)
      implements WriteOp {}

  /** Writes nothing: completes once everything queued before it is committed. */
  record Barrier(CompletableFuture<Void> durable) implements WriteOp {}

  /** The future to complete after the commit, or null for write-behind ops. */
  static CompletableFuture<Void> durableOf(WriteOp op) {
    return switch (op) {
      case InsertExecution i -> i.durable();
      case UpsertStateMachine u -> u.durable();
      case DeleteStateMachine d -> d.durable();
      case Barrier b -> b.durable();
      case AppendEvent a -> null;
      case FinishExecution f -> null;
    };
  }

  /** What the op writes, for log lines about a dropped write. */
  static String describe(WriteOp op) {
    return switch (op) {
      case InsertExecution i -> "insert execution " + i.rec().arn;
      case AppendEvent a ->
          "event " + a.event().id() + " (" + a.event().type() + ") of execution #" + a.seq();
      case FinishExecution f -> "end of execution " + f.rec().arn;
      case UpsertStateMachine u -> "state machine " + u.sm().arn();
      case DeleteStateMachine d -> "delete state machine " + d.arn();
      case Barrier b -> "barrier";
    };
  }
}
