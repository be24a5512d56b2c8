package dev.hsipipeline.local.sfn.internal;

import java.util.Arrays;

/**
 * Executions of one state machine in start order: an append-only chunked array whose reads need no
 * lock (elements are published before the volatile size).
 */
final class ExecList {
  private static final int SHIFT = 10;
  private static final int CHUNK = 1 << SHIFT;
  private volatile ExecutionRecord[][] chunks = new ExecutionRecord[8][];
  private volatile int size;

  synchronized void add(ExecutionRecord r) {
    int i = size;
    int c = i >>> SHIFT;
    ExecutionRecord[][] cs = chunks;
    if (c >= cs.length) {
      cs = Arrays.copyOf(cs, cs.length * 2);
    }
    if (cs[c] == null) {
      cs[c] = new ExecutionRecord[CHUNK];
    }
    cs[c][i & (CHUNK - 1)] = r;
    chunks = cs;
    size = i + 1;
  }

  int size() {
    return size;
  }

  ExecutionRecord get(int i) {
    return chunks[i >>> SHIFT][i & (CHUNK - 1)];
  }

  /** Index of the last element with seq &lt; {@code seq}, or -1. */
  int indexBefore(long seq) {
    int lo = 0;
    int hi = size - 1;
    int ans = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (get(mid).seq < seq) {
        ans = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return ans;
  }
}
