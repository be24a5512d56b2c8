package dev.hsipipeline.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark's figures: several entries (ours, the peer, the limit) measured side by side in the
 * same run, each the median of its samples.
 */
public final class Benchmark {

  /** Whose figure an entry is: colours the chart and frames the ratio. */
  public enum Kind {
    OURS,
    PEER,
    LIMIT
  }

  /** One measured variant. */
  public record Entry(String label, Kind kind, List<Double> samples, Map<String, Object> extra) {
    public double median() {
      return Stats.median(samples);
    }
  }

  private final String id;
  private final String title;
  private final String unit;
  private final boolean higherIsBetter;
  private final List<Entry> entries = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private String skipped;

  public Benchmark(String id, String title, String unit, boolean higherIsBetter) {
    this.id = id;
    this.title = title;
    this.unit = unit;
    this.higherIsBetter = higherIsBetter;
  }

  public Entry add(String label, Kind kind, List<Double> samples) {
    return add(label, kind, samples, new LinkedHashMap<>());
  }

  public Entry add(String label, Kind kind, List<Double> samples, Map<String, Object> extra) {
    Entry e = new Entry(label, kind, List.copyOf(samples), extra);
    entries.add(e);
    return e;
  }

  public void note(String note) {
    notes.add(note);
  }

  /** Marks the benchmark as not run, with the reason (a missing tool, a failed peer). */
  public void skip(String reason) {
    skipped = reason;
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public String unit() {
    return unit;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  public List<Entry> entries() {
    return entries;
  }

  public List<String> notes() {
    return notes;
  }

  public String skipped() {
    return skipped;
  }

  /** The first OURS entry. */
  public Entry ours() {
    return entries.stream().filter(e -> e.kind() == Kind.OURS).findFirst().orElse(null);
  }

  /** The best OURS entry (lowest or highest median by the benchmark's direction). */
  public Entry bestOurs() {
    Entry best = null;
    for (Entry e : entries) {
      if (e.kind() == Kind.OURS && (best == null || better(e.median(), best.median()))) {
        best = e;
      }
    }
    return best;
  }

  boolean better(double a, double b) {
    return higherIsBetter ? a > b : a < b;
  }

  /**
   * "x times faster/slower" of {@code ours} against {@code other}, in the benchmark's direction: a
   * value above 1 means ours is better.
   */
  public double advantage(Entry ours, Entry other) {
    return higherIsBetter ? ours.median() / other.median() : other.median() / ours.median();
  }

  /** Ratios of the best OURS entry against every peer and limit. */
  public Map<String, Double> ratios() {
    Map<String, Double> r = new LinkedHashMap<>();
    Entry best = bestOurs();
    if (best == null) {
      return r;
    }
    for (Entry e : entries) {
      if (e.kind() != Kind.OURS) {
        r.put(best.label() + " vs " + e.label(), advantage(best, e));
      }
    }
    return r;
  }
}
