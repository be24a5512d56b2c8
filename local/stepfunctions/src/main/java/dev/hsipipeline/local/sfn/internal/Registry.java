package dev.hsipipeline.local.sfn.internal;

import dev.hsipipeline.local.sfn.ExecutionInfo;
import dev.hsipipeline.local.sfn.ExecutionListener;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Step Functions service state, wired together: the {@link Database} and its {@link
 * GroupCommitWriter}, the in-memory {@link ExecutionIndex}, {@link StateMachines}, {@link
 * Executions}, the {@link ExecutionRunner} and the {@link HistoryRecorder}. Opening it restores
 * everything from disk; closing it stops executions (to be resumed at the next start) and writes
 * everything queued.
 */
public final class Registry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  /** Settings fixed at construction. */
  public record Config(
      String region, String accountId, Path dataDir, TaskInvoker taskInvoker, int hotExecutions) {}

  private final Database db;
  private final GroupCommitWriter writer;
  private final ExecutionIndex index;
  private final StateMachines machines;
  private final HistoryRecorder recorder;
  private final ExecutionRunner runner;
  private final Executions executions;

  /**
   * Opens the database and restores everything. Executions a previous run left RUNNING wait for
   * {@link #resumeInterrupted()}.
   */
  public Registry(Config config) {
    this.db = Database.open(config.dataDir());
    Database.Loaded loaded;
    try {
      loaded = db.load();
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    this.index = new ExecutionIndex(config.hotExecutions());
    this.writer = new GroupCommitWriter(db, index::endCommitted);
    this.machines = new StateMachines(config.region(), config.accountId(), index, writer);
    this.recorder = new HistoryRecorder(writer);
    this.runner = new ExecutionRunner(config.taskInvoker(), recorder, writer, db);
    this.executions =
        new Executions(
            config.region(), config.accountId(), machines, index, runner, recorder, writer, db);
    machines.restore(loaded.machines(), loaded.revisions());
    writer.start();
    index.restore(loaded.executions(), loaded.maxSeq());
    for (ExecutionRecord rec : loaded.executions()) {
      if (rec.isRunning()) {
        runner.interrupted(rec);
      }
    }
    GroupCommitWriter.awaitDurable(writer.barrier());
    LOG.info(
        "Step Functions store ready: {} state machine(s), {} execution(s)",
        machines.size(),
        index.size());
  }

  StateMachines stateMachines() {
    return machines;
  }

  Executions executions() {
    return executions;
  }

  /**
   * Continues every execution a previous run left RUNNING from the state it was in (see {@link
   * ExecutionRunner#resumeInterrupted()}). Call once the task invoker can take work; returns how
   * many were resumed.
   */
  public int resumeInterrupted() {
    return runner.resumeInterrupted();
  }

  public void addListener(ExecutionListener l) {
    recorder.addListener(l);
  }

  /** Java API for the stack: creates the state machine, or updates it when it differs. */
  public String createOrUpdateStateMachine(String name, String definition, String roleArn) {
    return machines.createOrUpdate(name, definition, roleArn);
  }

  /** Summary of an execution for the Java API (CLI/console); null when unknown. */
  public ExecutionInfo executionInfo(String executionArn) {
    ExecutionRecord rec = index.get(executionArn);
    return rec == null ? null : HistoryRecorder.info(rec);
  }

  /** Blocks until every write queued so far is committed. */
  public void flush() {
    GroupCommitWriter.awaitDurable(writer.barrier());
  }

  /** Writes queued but not yet picked up by the writer (a backlog indicator for benchmarks). */
  public int pendingWrites() {
    return writer.queueDepth();
  }

  /**
   * Stops: interrupts running executions without recording an outcome for them (the next start
   * resumes them), then writes everything queued and closes the database.
   */
  @Override
  public void close() {
    runner.close();
    writer.close();
    db.close();
  }
}
