package dev.hsipipeline.local.sfn.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory index every execution read goes through: executions by ARN and, per state machine,
 * in start order (O(1) lookups, O(page) list pages). It is also the cache of execution payloads and
 * histories: running executions and the {@code hotLimit} most recently ended ones keep theirs in
 * memory; older ones are evicted once their end is committed, and read from the database after.
 */
final class ExecutionIndex {
  private final Map<String, ExecutionRecord> byArn = new ConcurrentHashMap<>();
  private final Map<String, ExecList> byMachine = new ConcurrentHashMap<>();
  private final AtomicLong seqGen = new AtomicLong();

  /** Ended executions still hot, oldest first; touched by the writer thread only. */
  private final ArrayDeque<ExecutionRecord> hotEnded = new ArrayDeque<>();

  private final int hotLimit;

  ExecutionIndex(int hotLimit) {
    this.hotLimit = Math.max(0, hotLimit);
  }

  /** Adds executions read back at start (in start order); {@code maxSeq} is the largest seq. */
  void restore(List<ExecutionRecord> executions, long maxSeq) {
    for (ExecutionRecord rec : executions) {
      byArn.put(rec.arn, rec);
      byMachine.computeIfAbsent(rec.stateMachineArn, k -> new ExecList()).add(rec);
    }
    seqGen.set(maxSeq);
  }

  int size() {
    return byArn.size();
  }

  long nextSeq() {
    return seqGen.incrementAndGet();
  }

  /** Null when unknown. */
  ExecutionRecord get(String arn) {
    return byArn.get(arn);
  }

  /**
   * The execution once its start is committed, or ExecutionDoesNotExist (InvalidArn for a malformed
   * ARN).
   */
  ExecutionRecord require(String arn) {
    Names.parse(arn, "execution");
    ExecutionRecord rec = byArn.get(arn);
    if (rec == null) {
      throw ApiException.executionDoesNotExist(arn);
    }
    rec.awaitStartCommitted();
    return rec;
  }

  /** Starts an empty list for a new state machine. */
  void addMachine(String smArn) {
    byMachine.put(smArn, new ExecList());
  }

  /** The executions of a state machine in start order; null when it has none listed. */
  ExecList of(String smArn) {
    return byMachine.get(smArn);
  }

  /**
   * Adds a new execution; the caller holds the lock of {@code list} and has checked that the ARN is
   * free.
   */
  void add(ExecList list, ExecutionRecord rec) {
    byArn.put(rec.arn, rec);
    list.add(rec);
  }

  /**
   * Forgets a deleted state machine's list and its closed executions (running ones stay reachable
   * by ARN until they end, as on AWS). Returns the seqs forgotten.
   */
  List<Long> removeMachine(String smArn) {
    List<Long> gone = new ArrayList<>();
    ExecList list = byMachine.remove(smArn);
    if (list != null) {
      for (int i = 0, n = list.size(); i < n; i++) {
        ExecutionRecord rec = list.get(i);
        if (!rec.isRunning()) {
          byArn.remove(rec.arn, rec);
          gone.add(rec.seq);
        }
      }
    }
    return gone;
  }

  /** A page of executions, newest first. */
  record Page(List<ExecutionRecord> items, String nextToken) {}

  /** ListExecutions over the state machine {@code smArn} (which the caller has checked exists). */
  Page page(String smArn, String statusFilter, Boolean redriven, int max, String token) {
    ExecList list = byMachine.get(smArn);
    long before = Long.MAX_VALUE;
    String prefix =
        "x:" + Integer.toHexString(smArn.hashCode()) + ":" + statusFilter + ":" + redriven + ":";
    if (token != null) {
      String raw = Json.untoken(token);
      if (!raw.startsWith(prefix)) {
        throw ApiException.invalidToken("the token belongs to a different ListExecutions request");
      }
      try {
        before = Long.parseLong(raw.substring(prefix.length()));
      } catch (NumberFormatException e) {
        throw ApiException.invalidToken("malformed token");
      }
    }
    List<ExecutionRecord> out = new ArrayList<>(Math.min(max, 1000));
    if (list == null) {
      return new Page(out, null);
    }
    for (int i = list.indexBefore(before); i >= 0; i--) {
      ExecutionRecord rec = list.get(i);
      if (!rec.startIsCommitted()) {
        continue; // listed once a kill can no longer undo it
      }
      if (statusFilter != null && !statusFilter.equals(rec.status())) {
        continue;
      }
      if (redriven != null && redriven != (rec.snapshot().redriveCount() > 0)) {
        continue;
      }
      if (out.size() == max) {
        return new Page(out, Json.token(prefix + out.get(out.size() - 1).seq));
      }
      out.add(rec);
    }
    return new Page(out, null);
  }

  /**
   * Called by the writer thread once an execution's end is committed: it joins the hot set, and the
   * oldest beyond {@code hotLimit} drop their payloads and history from memory.
   */
  void endCommitted(ExecutionRecord rec) {
    hotEnded.add(rec);
    while (hotEnded.size() > hotLimit) {
      hotEnded.poll().evict();
    }
  }
}
