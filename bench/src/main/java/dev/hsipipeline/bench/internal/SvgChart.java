package dev.hsipipeline.bench.internal;

import java.util.List;
import java.util.Locale;

/**
 * Renders a run as one SVG: a panel of horizontal bars per benchmark (medians, longest bar = the
 * panel's largest value), ours in blue, peers in orange, limits in grey. No plotting library: the
 * chart is a few dozen rectangles and labels.
 */
public final class SvgChart {
  private static final int WIDTH = 900;
  private static final int LABEL_W = 330;
  private static final int BAR_H = 18;
  private static final int GAP = 6;

  private SvgChart() {}

  public static String render(String title, String subtitle, List<Benchmark> benchmarks) {
    StringBuilder body = new StringBuilder();
    int y = 70;
    for (Benchmark b : benchmarks) {
      body.append(
          text(
              20,
              y,
              15,
              "bold",
              b.title()
                  + "  ("
                  + b.unit()
                  + ", "
                  + (b.higherIsBetter() ? "higher" : "lower")
                  + " is better)"));
      y += 10;
      if (b.skipped() != null || b.entries().isEmpty()) {
        y += 18;
        body.append(
            text(
                30,
                y,
                12,
                "normal",
                "not measured: " + (b.skipped() == null ? "no entries" : b.skipped())));
        y += 22;
        continue;
      }
      double max =
          b.entries().stream()
              .mapToDouble(Benchmark.Entry::median)
              .filter(v -> !Double.isNaN(v))
              .max()
              .orElse(1);
      for (Benchmark.Entry e : b.entries()) {
        y += GAP;
        double v = e.median();
        int w =
            Double.isNaN(v) || max <= 0
                ? 0
                : (int) Math.max(1, Math.round((WIDTH - LABEL_W - 120) * v / max));
        String colour =
            switch (e.kind()) {
              case OURS -> "#1f77b4";
              case PEER -> "#ff7f0e";
              case LIMIT -> "#8c8c8c";
            };
        body.append(text(LABEL_W - 8, y + BAR_H - 5, 12, "normal", e.label(), "end"));
        body.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                LABEL_W,
                y,
                w,
                BAR_H,
                colour));
        body.append(text(LABEL_W + w + 6, y + BAR_H - 5, 12, "normal", Report.fmt(v)));
        y += BAR_H;
      }
      y += 8;
      StringBuilder ratio = new StringBuilder();
      b.ratios()
          .forEach(
              (k, v) -> {
                if (ratio.length() > 0) {
                  ratio.append(";  ");
                }
                ratio.append(k).append(": ").append(String.format(Locale.ROOT, "%.2fx", v));
              });
      if (ratio.length() > 0) {
        y += 12;
        body.append(
            text(
                LABEL_W,
                y,
                11,
                "normal",
                ratio.length() > 110 ? ratio.substring(0, 107) + "..." : ratio.toString()));
      }
      y += 34;
    }
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n",
            WIDTH,
            y + 30,
            WIDTH,
            y + 30));
    svg.append(
        String.format(
            Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, y + 30));
    svg.append(text(20, 28, 18, "bold", title));
    svg.append(text(20, 48, 12, "normal", subtitle));
    svg.append(legend(WIDTH - 280, 28));
    svg.append(body);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static String legend(int x, int y) {
    StringBuilder s = new StringBuilder();
    String[][] items = {{"#1f77b4", "ours"}, {"#ff7f0e", "peer"}, {"#8c8c8c", "limit"}};
    for (String[] it : items) {
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
              x,
              y - 11,
              it[0]));
      s.append(text(x + 16, y, 12, "normal", it[1]));
      x += 80;
    }
    return s.toString();
  }

  private static String text(int x, int y, int size, String weight, String s) {
    return text(x, y, size, weight, s, "start");
  }

  private static String text(int x, int y, int size, String weight, String s, String anchor) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\" text-anchor=\"%s\">%s</text>%n",
        x,
        y,
        size,
        weight,
        anchor,
        escape(s));
  }

  /** XML-escapes chart text (labels come from tool versions and notes). */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c < 0x20 ? ' ' : c);
      }
    }
    return b.toString();
  }
}
