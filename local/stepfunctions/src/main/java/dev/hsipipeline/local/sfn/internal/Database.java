package dev.hsipipeline.local.sfn.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.arns.Arn;

/**
 * The H2 database: its location and schema, what a restart reads back, and reads of data no longer
 * held in memory (through a small pool of read-only connections, so they never wait for the
 * writer). Writes go through {@link WriteStatements} on {@link #writeConnection()}, driven by the
 * {@link GroupCommitWriter}. See docs/adr/0020.
 */
final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final int READ_CONNECTIONS = 3;

  /** What a restart finds on disk. */
  record Loaded(
      List<StateMachineRecord> machines,
      Map<String, Revision> revisions,
      List<ExecutionRecord> executions,
      long maxSeq) {}

  private final String url;
  private final Connection writeConn;
  private final BlockingQueue<Connection> readers;

  private Database(String url) throws SQLException {
    this.url = url;
    this.writeConn = DriverManager.getConnection(url, "sa", "");
    createSchema(writeConn);
    writeConn.setAutoCommit(false);
    this.readers = new ArrayBlockingQueue<>(READ_CONNECTIONS);
    for (int i = 0; i < READ_CONNECTIONS; i++) {
      Connection c = DriverManager.getConnection(url, "sa", "");
      c.setReadOnly(true);
      readers.add(c);
    }
  }

  /**
   * Opens (creating if needed) the database under {@code <dataDir>/stepfunctions/}, or an in-memory
   * database when {@code dataDir} is null.
   */
  static Database open(Path dataDir) {
    String url;
    if (dataDir == null) {
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
      return new Database(url);
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
      // Added with redrive fidelity (ADR 0140); data dirs written before get the columns here.
      s.execute(
          "ALTER TABLE execution ADD COLUMN IF NOT EXISTS redrive_count INT DEFAULT 0 NOT NULL");
      s.execute(
          "ALTER TABLE execution ADD COLUMN IF NOT EXISTS redrive_ms BIGINT DEFAULT 0 NOT NULL");
      s.execute(
          """
          CREATE TABLE IF NOT EXISTS history_chunk(
            exec_seq BIGINT NOT NULL, first_id INT NOT NULL, last_id INT NOT NULL,
            events CHARACTER VARYING NOT NULL, PRIMARY KEY(exec_seq, first_id))""");
    }
  }

  /** The connection the writer thread alone uses (auto-commit off). */
  Connection writeConnection() {
    return writeConn;
  }

  String url() {
    return url;
  }

  /**
   * Reads everything back after a restart, before the writer starts. Executions come back cold
   * (payloads stay on disk).
   */
  Loaded load() {
    try (Statement s = writeConn.createStatement()) {
      Map<String, Revision> revisions = loadRevisions(s);
      List<StateMachineRecord> machines = loadMachines(s, revisions);
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
          SELECT seq, arn, sm_arn, name, revision_id, status, start_ms, stop_ms, error, cause, last_event_id,
            redrive_count, redrive_ms
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
          String smName = Arn.fromString(smArn).resource().resource();
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
                  last,
                  rs.getInt(12),
                  rs.getLong(13)));
        }
      }
      writeConn.commit();
      return new Loaded(machines, revisions, executions, maxSeq);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot read the Step Functions database " + url + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Revision> loadRevisions(Statement s) throws SQLException {
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
    return revisions;
  }

  private static List<StateMachineRecord> loadMachines(Statement s, Map<String, Revision> revisions)
      throws SQLException {
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
    return machines;
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

  /** Closes the readers and shuts the database down; call after the writer has drained. */
  @Override
  public void close() {
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
