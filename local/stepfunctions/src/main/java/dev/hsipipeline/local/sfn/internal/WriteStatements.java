package dev.hsipipeline.local.sfn.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of every write, as JDBC batches on the write connection. {@link #apply} turns one queued
 * op into rows; {@link #flush} runs what accumulated in causal order; the caller commits. Two
 * savings over one statement per op (ADR 0020): an execution that starts and ends within one batch
 * is inserted once in its final state, and all events of one execution in a batch become one {@code
 * history_chunk} row. Used by the writer thread only.
 */
final class WriteStatements {
  private final Connection conn;
  private final PreparedStatement insExec;
  private final PreparedStatement insExecFinal;
  private final PreparedStatement insChunk;
  private final PreparedStatement updExec;
  private int nIns;
  private int nFinal;
  private int nUpd;

  /** Events of this batch, grouped per execution: one history_chunk row each. */
  private final Map<Long, StringBuilder> chunkText = new LinkedHashMap<>();

  private final Map<Long, int[]> chunkIds = new HashMap<>();

  /** Executions that end within this batch: inserted once, in their final state. */
  private final Map<Long, WriteOp.FinishExecution> endsInBatch = new HashMap<>();

  private final Set<Long> merged = new HashSet<>();

  WriteStatements(Connection conn) throws SQLException {
    this.conn = conn;
    insExec =
        conn.prepareStatement(
            """
        INSERT INTO execution(seq, arn, sm_arn, name, revision_id, status, start_ms, input, last_event_id)
        VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?, 0)""");
    insChunk =
        conn.prepareStatement(
            "INSERT INTO history_chunk(exec_seq, first_id, last_id, events) VALUES (?, ?, ?, ?)");
    insExecFinal =
        conn.prepareStatement(
            """
        INSERT INTO execution(seq, arn, sm_arn, name, revision_id, status, start_ms, input, stop_ms, output,
          error, cause, last_event_id, redrive_count, redrive_ms)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
    updExec =
        conn.prepareStatement(
            """
        UPDATE execution SET status = ?, stop_ms = ?, output = ?, error = ?, cause = ?, last_event_id = ?,
          redrive_count = ?, redrive_ms = ?
        WHERE seq = ?""");
  }

  /** Notes which executions end within {@code batch}, before its ops are applied. */
  void begin(List<WriteOp> batch) {
    for (WriteOp op : batch) {
      if (op instanceof WriteOp.FinishExecution f) {
        endsInBatch.put(f.rec().seq, f);
      }
    }
  }

  void apply(WriteOp op) throws SQLException {
    switch (op) {
      case WriteOp.InsertExecution i -> insertExecution(i);
      case WriteOp.AppendEvent a -> {
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
      case WriteOp.FinishExecution f -> {
        if (merged.contains(f.rec().seq)) {
          return; // already inserted in its final state
        }
        updExec.setString(1, f.status());
        updExec.setLong(2, f.stopMillis());
        updExec.setString(3, f.output());
        updExec.setString(4, f.error());
        updExec.setString(5, f.cause());
        updExec.setInt(6, f.lastEventId());
        updExec.setInt(7, f.redriveCount());
        updExec.setLong(8, f.redriveMillis());
        updExec.setLong(9, f.rec().seq);
        updExec.addBatch();
        nUpd++;
      }
      case WriteOp.UpsertStateMachine u -> {
        flush();
        upsertStateMachine(u.sm());
      }
      case WriteOp.DeleteStateMachine d -> {
        flush();
        deleteStateMachine(d.arn(), d.executionSeqs());
      }
      case WriteOp.Barrier b -> {}
    }
  }

  private void insertExecution(WriteOp.InsertExecution i) throws SQLException {
    ExecutionRecord r = i.rec();
    WriteOp.FinishExecution f = endsInBatch.get(r.seq);
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
      insExecFinal.setInt(14, f.redriveCount());
      insExecFinal.setLong(15, f.redriveMillis());
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

  private void upsertStateMachine(StateMachineRecord sm) throws SQLException {
    Revision r = sm.revision();
    try (PreparedStatement ps =
        conn.prepareStatement(
            "MERGE INTO sm_revision(revision_id, sm_arn, definition, role_arn, update_ms) KEY(revision_id) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, r.revisionId);
      ps.setString(2, r.stateMachineArn);
      ps.setString(3, r.definition);
      ps.setString(4, r.roleArn);
      ps.setLong(5, r.updateMillis);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        conn.prepareStatement(
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

  private void deleteStateMachine(String arn, List<Long> executionSeqs) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("DELETE FROM state_machine WHERE arn = ?")) {
      ps.setString(1, arn);
      ps.executeUpdate();
    }
    try (PreparedStatement pe = conn.prepareStatement("DELETE FROM execution WHERE seq = ?");
        PreparedStatement ph =
            conn.prepareStatement("DELETE FROM history_chunk WHERE exec_seq = ?")) {
      for (long seq : executionSeqs) {
        pe.setLong(1, seq);
        pe.addBatch();
        ph.setLong(1, seq);
        ph.addBatch();
      }
      pe.executeBatch();
      ph.executeBatch();
    }
  }

  /** Runs the accumulated statement batches in causal order: executions, then events, then ends. */
  void flush() throws SQLException {
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

  /** Flushes and commits; the batch's bookkeeping starts over. */
  void commit() throws SQLException {
    flush();
    conn.commit();
    endsInBatch.clear();
    merged.clear();
  }

  /** Drops everything accumulated and rolls the transaction back. */
  void rollback() throws SQLException {
    nIns = 0;
    nFinal = 0;
    nUpd = 0;
    chunkText.clear();
    chunkIds.clear();
    endsInBatch.clear();
    merged.clear();
    insExec.clearBatch();
    insExecFinal.clearBatch();
    insChunk.clearBatch();
    updExec.clearBatch();
    conn.rollback();
  }
}
