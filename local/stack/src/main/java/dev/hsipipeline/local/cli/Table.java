package dev.hsipipeline.local.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table with left-aligned columns sized to their widest cell. */
final class Table {
  private final List<String> headers;
  private final List<String[]> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  Table row(Object... cells) {
    String[] r = new String[headers.size()];
    for (int i = 0; i < r.length; i++) {
      Object c = i < cells.length ? cells[i] : null;
      r[i] = c == null ? "-" : oneLine(c.toString());
    }
    rows.add(r);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] w = new int[headers.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = headers.get(i).length();
    }
    for (String[] r : rows) {
      for (int i = 0; i < w.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    out.println(line(headers.toArray(String[]::new), w));
    for (String[] r : rows) {
      out.println(line(r, w));
    }
  }

  private static String line(String[] cells, int[] w) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      sb.append(cells[i]);
      if (i < cells.length - 1) {
        sb.append(" ".repeat(w[i] - cells[i].length() + 2));
      }
    }
    return sb.toString().stripTrailing();
  }

  static String oneLine(String s) {
    String t = s.replace("\r", "").replace('\n', ' ').replace('\t', ' ');
    return t.length() > 160 ? t.substring(0, 157) + "..." : t;
  }

  @Override
  public String toString() {
    return headers + " " + rows.stream().map(Arrays::toString).toList();
  }
}
