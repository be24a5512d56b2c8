package dev.hsipipeline.local.sfn.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2 persistence: state machines, their revisions, executions and history events.
 *
 * <p>All writes go through one writer thread that drains a queue and commits whatever has
 * accumulated as one transaction (group commit): thousands of small writes per second become a few
 * dozen commits. Callers that need durability (StartExecution) wait on a future completed after the
 * commit that contains their write. Reads for data no longer held in memory use a small pool of
 * separate connections. See docs/adr/0020.
 */
final class Store implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Store.class);
  private static final int MAX_BATCH = 20_000;
  private static final int READ_CONNECTIONS = 3;

  /** A queued write. */
  sealed interface Op {}

  record InsertExecution(ExecutionRecord rec, String input, CompletableFuture<Void> durable)
      implements Op {}

  record AppendEvent(long seq, HistoryEvent event) implements Op {}

  record FinishExecution(
      ExecutionRecord rec,
      String status,
      long stopMillis,
      String output,
      String error,
      String cause,
      int lastEventId)
      implements Op {}

  record UpsertStateMachine(StateMachineRecord sm, CompletableFuture<Void> durable) implements Op {}

  record DeleteStateMachine(String arn, List<Long> executionSeqs, CompletableFuture<Void> durable)
      implements Op {}

  record Barrier(CompletableFuture<Void> durable) implements Op {}

  /** What a restart finds on disk. */
  record Loaded(
      List<StateMachineRecord> machines,
      Map<String, Revision> revisions,
      List<ExecutionRecord> executions,
      long maxSeq) {}

  private final String url;
  private final boolean inMemory;
  private final Connection writeConn;
  private final BlockingQueue<Connection> readers;
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final ArrayDeque<ExecutionRecord> hotFinished = new ArrayDeque<>();
  private final int hotLimit;
  private final Thread writer;
  private volatile boolean accepting = true;
  private volatile boolean stopping;
  private volatile Throwable lastFailure;

  private Store(String url, boolean inMemory, int hotLimit) throws SQLException {
    this.url = url;
    this.inMemory = inMemory;
    this.hotLimit = hotLimit;
    this.writeConn = DriverManager.getConnection(url, "sa", "");
    createSchema(writeConn);
    writeConn.setAutoCommit(false);
    this.readers = new ArrayBlockingQueue<>(READ_CONNECTIONS);
    for (int i = 0; i < READ_CONNECTIONS; i++) {
      Connection c = DriverManager.getConnection(url, "sa", "");
      c.setReadOnly(true);
      readers.add(c);
    }
    this.writer = Thread.ofPlatform().name("sfn-h2-writer").daemon(true).unstarted(this::writeLoop);
  }

  /**
   * Opens (creating if needed) the database under {@code <dataDir>/stepfunctions/}, or an in-memory
   * database when {@code dataDir} is null.
   */
  static Store open(Path dataDir, int hotLimit) {
    String url;
    boolean mem = dataDir == null;
    if (mem) {
      url = "jdbc:h2:mem:sfn-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    } else {
      Path dir = dataDir.resolve("stepfunctions").toAbsolutePath();
      try {
        Files.createDirectories(dir);
      } catch (Exception e) {
        throw new IllegalStateException(
            "Cannot create Step Functions data directory " + dir + ": " + e, e);
      }
      // DB_CLOSE_ON_EXIT=FALSE: our own close() flushes the write queue first; H2's shutdown
      // hook would otherwise close the database underneath it on Ctrl-C.
      // WRITE_DELAY=0: every commit writes its chunk to the file before commit() returns.
      // MAX_COMPACT_TIME=0: no file compaction at close (it took seconds after a benchmark run;
      // the in-line auto-compaction during commits keeps the file size in check).
      url =
          "jdbc:h2:file:"
              + dir.resolve("sfn")
              + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;MAX_COMPACT_TIME=0";
    }
    try {
      return new Store(url, mem, hotLimit);
    } catch (SQLException e) {
      String hint =
          e.getErrorCode() == 90020
              ? " (another process already uses this data directory; stop it or choose another --data-dir)"
              : "";
      throw new IllegalStateException(
          "Cannot open Step Functions database " + url + hint + ": " + e.getMessage(), e);
    }
  }

  private static void createSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          """
          CREATE TABLE IF NOT EXISTS sm_revision(
            revision_id VARCHAR(64) PRIMARY KEY, sm_arn VARCHAR(512) NOT NULL,
            definition CHARACTER VARYING NOT NULL, role_arn VARCHAR(1024), update_ms BIGINT NOT NULL)""");
      s.execute(
          """
          CREATE TABLE IF NOT EXISTS state_machine(
            arn VARCHAR(512) PRIMARY KEY, name VARCHAR(128) NOT NULL, type VARCHAR(16) NOT NULL,
            creation_ms BIGINT NOT NULL, revision_id VARCHAR(64) NOT NULL, logging VARCHAR,
            tracing VARCHAR, description VARCHAR)""");
      s.execute(
          """
          CREATE TABLE IF NOT EXISTS execution(
            seq BIGINT PRIMARY KEY, arn VARCHAR(1024) NOT NULL, sm_arn VARCHAR(512) NOT NULL,
            name VARCHAR(128) NOT NULL, revision_id VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL,
            start_ms BIGINT NOT NULL, stop_ms BIGINT, input CHARACTER VARYING, output CHARACTER VARYING,
            error VARCHAR, cause CHARACTER VARYING, last_event_id INT NOT NULL)""");
      s.execute(
          """
          CREATE TABLE IF NOT EXISTS history_chunk(
            exec_seq BIGINT NOT NULL, first_id INT NOT NULL, last_id INT NOT NULL,
            events CHARACTER VARYING NOT NULL, PRIMARY KEY(exec_seq, first_id))""");
    }
  }

  /** Reads everything back after a restart. Executions come back cold (payloads stay on disk). */
  Loaded load() {
    try (Statement s = writeConn.createStatement()) {
      Map<String, Revision> revisions = new HashMap<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT revision_id, sm_arn, definition, role_arn, update_ms FROM sm_revision")) {
        while (rs.next()) {
          Revision r =
              new Revision(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getLong(5),
                  null);
          revisions.put(r.revisionId, r);
        }
      }
      List<StateMachineRecord> machines = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT arn, name, type, creation_ms, revision_id, logging, tracing, description FROM state_machine")) {
        while (rs.next()) {
          Revision r = revisions.get(rs.getString(5));
          if (r == null) {
            LOG.warn(
                "State machine {} refers to missing revision {}; skipped",
                rs.getString(1),
                rs.getString(5));
            continue;
          }
          machines.add(
              new StateMachineRecord(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  r,
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8)));
        }
      }
      Map<Long, Integer> runningLast = new HashMap<>();
      try (ResultSet rs =
          s.executeQuery(
              """
          SELECT e.seq, (SELECT MAX(h.last_id) FROM history_chunk h WHERE h.exec_seq = e.seq)
          FROM execution e WHERE e.status = 'RUNNING'""")) {
        while (rs.next()) {
          runningLast.put(rs.getLong(1), rs.getInt(2));
        }
      }
      List<ExecutionRecord> executions = new ArrayList<>();
      long maxSeq = 0;
      try (ResultSet rs =
          s.executeQuery(
              """
          SELECT seq, arn, sm_arn, name, revision_id, status, start_ms, stop_ms, error, cause, last_event_id
          FROM execution ORDER BY seq""")) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          maxSeq = Math.max(maxSeq, seq);
          String smArn = rs.getString(3);
          Revision r = revisions.get(rs.getString(5));
          if (r == null) {
            r = new Revision(rs.getString(5), smArn, "{}", null, 0, null);
          }
          String status = rs.getString(6);
          int last = runningLast.getOrDefault(seq, rs.getInt(11));
          String smName = smArn.substring(smArn.lastIndexOf(':') + 1);
          executions.add(
              new ExecutionRecord(
                  seq,
                  rs.getString(2),
                  rs.getString(4),
                  smArn,
                  smName,
                  r,
                  rs.getLong(7),
                  status,
                  rs.getLong(8),
                  rs.getString(9),
                  rs.getString(10),
                  last));
        }
      }
      writeConn.commit();
      return new Loaded(machines, revisions, executions, maxSeq);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot read the Step Functions database " + url + ": " + e.getMessage(), e);
    }
  }

  void start() {
    writer.start();
  }

  /** Queues a write; returns false once the store is closing (the write is dropped). */
  boolean enqueue(Op op) {
    if (!accepting) {
      return false;
    }
    queue.add(op);
    return true;
  }

  boolean isAccepting() {
    return accepting;
  }

  int queueDepth() {
    return queue.size();
  }

  /** input and output of a cold execution. */
  String[] loadInputOutput(long seq) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT input, output FROM execution WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : new String[2];
            }
          }
        });
  }

  /** Events with ids in [from, to], ascending. */
  List<HistoryEvent> loadEvents(long seq, int from, int to) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT events FROM history_chunk WHERE exec_seq = ? AND last_id >= ? AND first_id <= ? ORDER BY first_id")) {
            ps.setLong(1, seq);
            ps.setInt(2, from);
            ps.setInt(3, to);
            List<HistoryEvent> out = new ArrayList<>(Math.max(0, Math.min(to - from + 1, 1000)));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                EventCodec.decode(rs.getString(1), from, to, out);
              }
            }
            return out;
          }
        });
  }

  private interface SqlFn<T> {
    T apply(Connection c) throws SQLException;
  }

  private <T> T read(SqlFn<T> fn) {
    Connection c;
    try {
      c = readers.poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("Interrupted while waiting for the database");
    }
    if (c == null) {
      throw ApiException.unavailable("The database is busy; retry");
    }
    try {
      return fn.apply(c);
    } catch (SQLException e) {
      LOG.error("Database read failed", e);
      throw ApiException.internal("Database read failed: " + e.getMessage());
    } finally {
      readers.add(c);
    }
  }

  // ---------------------------------------------------------------- writer

  private PreparedStatement insExec;
  private PreparedStatement insChunk;
  private PreparedStatement insExecFinal;

  /** Events of this batch, grouped per execution: one history_chunk row each. */
  private final Map<Long, StringBuilder> chunkText = new java.util.LinkedHashMap<>();

  private final Map<Long, int[]> chunkIds = new HashMap<>();

  /** Executions that start and end within this batch: inserted once, in their final state. */
  private final Map<Long, FinishExecution> endsInBatch = new HashMap<>();

  private final java.util.Set<Long> merged = new java.util.HashSet<>();
  private int nFinal;
  private PreparedStatement updExec;
  private int nIns;
  private int nUpd;

  private void writeLoop() {
    List<Op> batch = new ArrayList<>(1024);
    try {
      insExec =
          writeConn.prepareStatement(
              """
          INSERT INTO execution(seq, arn, sm_arn, name, revision_id, status, start_ms, input, last_event_id)
          VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?, 0)""");
      insChunk =
          writeConn.prepareStatement(
              "INSERT INTO history_chunk(exec_seq, first_id, last_id, events) VALUES (?, ?, ?, ?)");
      insExecFinal =
          writeConn.prepareStatement(
              """
          INSERT INTO execution(seq, arn, sm_arn, name, revision_id, status, start_ms, input, stop_ms, output,
            error, cause, last_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
      updExec =
          writeConn.prepareStatement(
              """
          UPDATE execution SET status = ?, stop_ms = ?, output = ?, error = ?, cause = ?, last_event_id = ?
          WHERE seq = ?""");
    } catch (SQLException e) {
      LOG.error("Cannot prepare statements; persistence disabled", e);
      lastFailure = e;
      return;
    }
    while (true) {
      Op first;
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
    writerCpuNanos =
        java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private long commits;
  private long writes;
  private long writeNanos;
  private volatile long writerCpuNanos;

  private void writeBatch(List<Op> batch) {
    long t0 = System.nanoTime();
    commits++;
    writes += batch.size();
    try {
      for (Op op : batch) {
        if (op instanceof FinishExecution f) {
          endsInBatch.put(f.rec().seq, f);
        }
      }
      for (Op op : batch) {
        apply(op);
      }
      flushBuckets();
      writeConn.commit();
      endsInBatch.clear();
      merged.clear();
    } catch (SQLException e) {
      // One bad write must not take the others down: roll back and retry them one by one.
      LOG.warn(
          "Batch of {} writes failed ({}); retrying individually", batch.size(), e.getMessage());
      rollbackQuietly();
      for (Op op : batch) {
        try {
          apply(op);
          flushBuckets();
          writeConn.commit();
        } catch (SQLException e1) {
          lastFailure = e1;
          LOG.error("Dropped database write {}: {}", describe(op), e1.getMessage());
          rollbackQuietly();
          failFuture(op, e1);
        }
      }
    }
    writeNanos += System.nanoTime() - t0;
    for (Op op : batch) {
      switch (op) {
        case InsertExecution i -> {
          if (i.durable() != null) i.durable().complete(null);
        }
        case UpsertStateMachine u -> {
          if (u.durable() != null) u.durable().complete(null);
        }
        case DeleteStateMachine d -> {
          if (d.durable() != null) d.durable().complete(null);
        }
        case Barrier b -> b.durable().complete(null);
        case FinishExecution f -> {
          hotFinished.add(f.rec());
          while (hotFinished.size() > hotLimit) {
            hotFinished.poll().evict();
          }
        }
        case AppendEvent a -> {}
      }
    }
  }

  private void apply(Op op) throws SQLException {
    switch (op) {
      case InsertExecution i -> {
        ExecutionRecord r = i.rec();
        FinishExecution f = endsInBatch.get(r.seq);
        if (f != null) {
          merged.add(r.seq);
          insExecFinal.setLong(1, r.seq);
          insExecFinal.setString(2, r.arn);
          insExecFinal.setString(3, r.stateMachineArn);
          insExecFinal.setString(4, r.name);
          insExecFinal.setString(5, r.revision.revisionId);
          insExecFinal.setString(6, f.status());
          insExecFinal.setLong(7, r.startMillis);
          insExecFinal.setString(8, i.input());
          insExecFinal.setLong(9, f.stopMillis());
          insExecFinal.setString(10, f.output());
          insExecFinal.setString(11, f.error());
          insExecFinal.setString(12, f.cause());
          insExecFinal.setInt(13, f.lastEventId());
          insExecFinal.addBatch();
          nFinal++;
          return;
        }
        insExec.setLong(1, r.seq);
        insExec.setString(2, r.arn);
        insExec.setString(3, r.stateMachineArn);
        insExec.setString(4, r.name);
        insExec.setString(5, r.revision.revisionId);
        insExec.setLong(6, r.startMillis);
        insExec.setString(7, i.input());
        insExec.addBatch();
        nIns++;
      }
      case AppendEvent a -> {
        HistoryEvent e = a.event();
        StringBuilder sb = chunkText.computeIfAbsent(a.seq(), k -> new StringBuilder(512));
        int[] ids = chunkIds.get(a.seq());
        if (ids == null) {
          chunkIds.put(a.seq(), new int[] {e.id(), e.id()});
        } else {
          ids[1] = e.id();
        }
        EventCodec.encode(e, sb);
      }
      case FinishExecution f -> {
        if (merged.contains(f.rec().seq)) {
          return; // already inserted in its final state
        }
        updExec.setString(1, f.status());
        updExec.setLong(2, f.stopMillis());
        updExec.setString(3, f.output());
        updExec.setString(4, f.error());
        updExec.setString(5, f.cause());
        updExec.setInt(6, f.lastEventId());
        updExec.setLong(7, f.rec().seq);
        updExec.addBatch();
        nUpd++;
      }
      case UpsertStateMachine u -> {
        flushBuckets();
        StateMachineRecord sm = u.sm();
        Revision r = sm.revision();
        try (PreparedStatement ps =
            writeConn.prepareStatement(
                "MERGE INTO sm_revision(revision_id, sm_arn, definition, role_arn, update_ms) KEY(revision_id) VALUES (?, ?, ?, ?, ?)")) {
          ps.setString(1, r.revisionId);
          ps.setString(2, r.stateMachineArn);
          ps.setString(3, r.definition);
          ps.setString(4, r.roleArn);
          ps.setLong(5, r.updateMillis);
          ps.executeUpdate();
        }
        try (PreparedStatement ps =
            writeConn.prepareStatement(
                """
            MERGE INTO state_machine(arn, name, type, creation_ms, revision_id, logging, tracing, description)
            KEY(arn) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
          ps.setString(1, sm.arn());
          ps.setString(2, sm.name());
          ps.setString(3, sm.type());
          ps.setLong(4, sm.creationMillis());
          ps.setString(5, r.revisionId);
          ps.setString(6, sm.loggingJson());
          ps.setString(7, sm.tracingJson());
          ps.setString(8, sm.description());
          ps.executeUpdate();
        }
      }
      case DeleteStateMachine d -> {
        flushBuckets();
        try (PreparedStatement ps =
            writeConn.prepareStatement("DELETE FROM state_machine WHERE arn = ?")) {
          ps.setString(1, d.arn());
          ps.executeUpdate();
        }
        try (PreparedStatement pe =
                writeConn.prepareStatement("DELETE FROM execution WHERE seq = ?");
            PreparedStatement ph =
                writeConn.prepareStatement("DELETE FROM history_chunk WHERE exec_seq = ?")) {
          for (long seq : d.executionSeqs()) {
            pe.setLong(1, seq);
            pe.addBatch();
            ph.setLong(1, seq);
            ph.addBatch();
          }
          pe.executeBatch();
          ph.executeBatch();
        }
      }
      case Barrier b -> {}
    }
  }

  /** Runs the accumulated statement batches in causal order: executions, then events, then ends. */
  private void flushBuckets() throws SQLException {
    if (nIns > 0) {
      nIns = 0;
      insExec.executeBatch();
    }
    if (nFinal > 0) {
      nFinal = 0;
      insExecFinal.executeBatch();
    }
    if (!chunkText.isEmpty()) {
      for (Map.Entry<Long, StringBuilder> c : chunkText.entrySet()) {
        int[] ids = chunkIds.get(c.getKey());
        insChunk.setLong(1, c.getKey());
        insChunk.setInt(2, ids[0]);
        insChunk.setInt(3, ids[1]);
        insChunk.setString(4, c.getValue().toString());
        insChunk.addBatch();
      }
      chunkText.clear();
      chunkIds.clear();
      insChunk.executeBatch();
    }
    if (nUpd > 0) {
      nUpd = 0;
      updExec.executeBatch();
    }
  }

  private void rollbackQuietly() {
    nIns = 0;
    nFinal = 0;
    nUpd = 0;
    chunkText.clear();
    chunkIds.clear();
    endsInBatch.clear();
    merged.clear();
    try {
      insExec.clearBatch();
      insExecFinal.clearBatch();
      insChunk.clearBatch();
      updExec.clearBatch();
      writeConn.rollback();
    } catch (SQLException e) {
      LOG.warn("Rollback failed: {}", e.getMessage());
    }
  }

  private static void failFuture(Op op, Exception e) {
    CompletableFuture<Void> f =
        switch (op) {
          case InsertExecution i -> i.durable();
          case UpsertStateMachine u -> u.durable();
          case DeleteStateMachine d -> d.durable();
          case Barrier b -> b.durable();
          default -> null;
        };
    if (f != null) {
      f.completeExceptionally(e);
    }
  }

  private static String describe(Op op) {
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

  Throwable lastFailure() {
    return lastFailure;
  }

  /** Stops accepting writes, writes everything queued, and closes the database. */
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
    } else if (!queue.isEmpty()) {
      List<Op> rest = new ArrayList<>(queue);
      queue.clear();
      if (insExec != null) {
        writeBatch(rest);
      }
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
    for (Connection c : readers) {
      closeQuietly(c);
    }
    long t0 = System.nanoTime();
    try (Statement s = writeConn.createStatement()) {
      writeConn.commit();
      s.execute("SHUTDOWN");
      LOG.debug("H2 shutdown took {} ms", (System.nanoTime() - t0) / 1_000_000);
    } catch (SQLException e) {
      LOG.warn("Database shutdown: {}", e.getMessage());
    }
    closeQuietly(writeConn);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
