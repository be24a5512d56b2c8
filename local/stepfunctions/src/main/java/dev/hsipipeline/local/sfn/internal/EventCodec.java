package dev.hsipipeline.local.sfn.internal;

import java.util.List;

/**
 * Text form of a run of history events stored in one {@code history_chunk} row: one line per event,
 * {@code id TAB previousEventId TAB timestampMillis TAB type TAB detailsJson}. Compact JSON never
 * contains a raw line feed or tab outside whitespace (inside strings they are escaped), so no
 * escaping is needed and encoding/decoding are plain string scans.
 */
final class EventCodec {
  private EventCodec() {}

  static void encode(HistoryEvent e, StringBuilder sb) {
    sb.append(e.id())
        .append('\t')
        .append(e.previousEventId())
        .append('\t')
        .append(e.timestampMillis())
        .append('\t')
        .append(e.type())
        .append('\t');
    String d = e.detailsJson();
    if (d != null) {
      if (d.indexOf('\n') >= 0 || d.indexOf('\t') >= 0) {
        // Only insignificant whitespace can be a raw LF/TAB in valid JSON.
        d = d.replace('\n', ' ').replace('\t', ' ');
      }
      sb.append(d);
    }
    sb.append('\n');
  }

  /** Appends the events of {@code text} whose ids are within [from, to] to {@code out}. */
  static void decode(String text, int from, int to, List<HistoryEvent> out) {
    int pos = 0;
    int n = text.length();
    while (pos < n) {
      int end = text.indexOf('\n', pos);
      if (end < 0) {
        end = n;
      }
      int t1 = text.indexOf('\t', pos);
      int id = Integer.parseInt(text, pos, t1, 10);
      if (id >= from && id <= to) {
        int t2 = text.indexOf('\t', t1 + 1);
        int t3 = text.indexOf('\t', t2 + 1);
        int t4 = text.indexOf('\t', t3 + 1);
        int prev = Integer.parseInt(text, t1 + 1, t2, 10);
        long ts = Long.parseLong(text, t2 + 1, t3, 10);
        String type = text.substring(t3 + 1, t4);
        String details = t4 + 1 == end ? null : text.substring(t4 + 1, end);
        out.add(new HistoryEvent(id, prev, ts, type, details));
      }
      pos = end + 1;
    }
  }
}
