package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs the work behind a Task state's {@code Resource} (for example {@code
 * arn:aws:states:::batch:submitJob.sync}). The interpreter calls it after InputPath and Parameters,
 * and applies ResultSelector/ResultPath/OutputPath, Retry and Catch to what it returns or throws.
 *
 * <p>Implementations block until the task ends. They must honour thread interruption (the execution
 * was stopped or the state timed out) by ending the work and throwing {@link InterruptedException}.
 */
@FunctionalInterface
public interface TaskInvoker {

  /**
   * @return the task's raw result (before ResultSelector)
   * @throws TaskFailedException the task failed with an ASL error name (e.g. {@code
   *     States.TaskFailed}, {@code Batch.ServerException}) and a cause
   */
  JsonNode invoke(TaskInvocation invocation) throws TaskFailedException, InterruptedException;
}
