package dev.hsipipeline.local.sfn.internal;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer thread: API and execution threads only queue {@link WriteOp}s; the writer drains
 * whatever has accumulated and commits it as one transaction (group commit), so thousands of small
 * writes per second become a few dozen commits. Callers that need durability wait on a future
 * completed after the commit containing their write. See docs/adr/0020.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int MAX_BATCH = 20_000;
  private static final long DURABLE_TIMEOUT_SECONDS = 30;

  private final Database db;
  private final Consumer<ExecutionRecord> endCommitted;
  private final LinkedBlockingQueue<WriteOp> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean accepting = true;
  private volatile boolean stopping;
  private WriteStatements statements;

  private long commits;
  private long writes;
  private long writeNanos;
  private volatile long writerCpuNanos;

  /**
   * @param endCommitted called on the writer thread once an execution's end is committed (the
   *     in-memory cache may then drop its payloads)
   */
  GroupCommitWriter(Database db, Consumer<ExecutionRecord> endCommitted) {
    this.db = db;
    this.endCommitted = endCommitted;
    this.writer = Thread.ofPlatform().name("sfn-h2-writer").daemon(true).unstarted(this::writeLoop);
  }

  void start() {
    writer.start();
  }

  /** Queues a write; returns false once the writer is closing (the write is dropped). */
  boolean enqueue(WriteOp op) {
    if (!accepting) {
      return false;
    }
    queue.add(op);
    return true;
  }

  /** Writes queued but not yet picked up. */
  int queueDepth() {
    return queue.size();
  }

  /** A future completed once everything queued so far is committed (at once when closing). */
  CompletableFuture<Void> barrier() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (!enqueue(new WriteOp.Barrier(f))) {
      f.complete(null);
    }
    return f;
  }

  /**
   * Queues {@code op} and waits until the commit that contains it (its future is {@code durable}).
   */
  void persist(WriteOp op, CompletableFuture<Void> durable) {
    if (!enqueue(op)) {
      throw ApiException.unavailable("The local Step Functions server is shutting down");
    }
    awaitDurable(durable);
  }

  /** Waits for a durability future, turning every way it can go wrong into the API's error. */
  static void awaitDurable(CompletableFuture<Void> f) {
    try {
      f.get(DURABLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("Interrupted while persisting");
    } catch (ExecutionException e) {
      throw ApiException.internal("Could not persist the change: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw ApiException.unavailable(
          "Persisting took longer than " + DURABLE_TIMEOUT_SECONDS + " s; retry");
    }
  }

  private void writeLoop() {
    List<WriteOp> batch = new ArrayList<>(1024);
    try {
      statements = new WriteStatements(db.writeConnection());
    } catch (SQLException e) {
      LOG.error("Cannot prepare statements; persistence disabled", e);
      return;
    }
    while (true) {
      WriteOp first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null;
      }
      if (first == null) {
        if (stopping && queue.isEmpty()) {
          break;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH);
      writeBatch(batch);
      batch.clear();
    }
    writerCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private void writeBatch(List<WriteOp> batch) {
    long t0 = System.nanoTime();
    commits++;
    writes += batch.size();
    try {
      statements.begin(batch);
      for (WriteOp op : batch) {
        statements.apply(op);
      }
      statements.commit();
    } catch (SQLException e) {
      // One bad write must not take the others down: roll back and retry them one by one.
      LOG.warn(
          "Batch of {} writes failed ({}); retrying individually", batch.size(), e.getMessage());
      rollbackQuietly();
      for (WriteOp op : batch) {
        try {
          statements.apply(op);
          statements.commit();
        } catch (SQLException e1) {
          LOG.error("Dropped database write {}: {}", WriteOp.describe(op), e1.getMessage());
          rollbackQuietly();
          CompletableFuture<Void> f = WriteOp.durableOf(op);
          if (f != null) {
            f.completeExceptionally(e1);
          }
        }
      }
    }
    writeNanos += System.nanoTime() - t0;
    for (WriteOp op : batch) {
      if (op instanceof WriteOp.FinishExecution f) {
        endCommitted.accept(f.rec());
      } else {
        CompletableFuture<Void> f = WriteOp.durableOf(op);
        if (f != null) {
          f.complete(null);
        }
      }
    }
  }

  private void rollbackQuietly() {
    try {
      statements.rollback();
    } catch (SQLException e) {
      LOG.warn("Rollback failed: {}", e.getMessage());
    }
  }

  /** Stops accepting writes and writes everything queued (the database stays open). */
  @Override
  public void close() {
    long closeStart = System.nanoTime();
    accepting = false;
    stopping = true;
    if (writer.isAlive()) {
      try {
        writer.join(TimeUnit.MINUTES.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (!queue.isEmpty() && statements != null) {
      List<WriteOp> rest = new ArrayList<>(queue);
      queue.clear();
      writeBatch(rest);
    }
    if (!queue.isEmpty()) {
      LOG.error("{} database writes still queued at close; they are lost", queue.size());
    }
    LOG.debug("Write queue drained in {} ms", (System.nanoTime() - closeStart) / 1_000_000);
    if (commits > 0) {
      LOG.info(
          "Database writer: {} writes in {} commits ({} per commit), {} ms writing, {} ms CPU",
          writes,
          commits,
          writes / commits,
          writeNanos / 1_000_000,
          writerCpuNanos / 1_000_000);
    }
  }
}
