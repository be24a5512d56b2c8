package dev.hsipipeline.bench.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run's figures: {@code <date>.json}, {@code <date>.svg} (+ {@code latest.*}) and a
 * console table.
 */
public final class Report {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Report() {}

  /** The JSON document of a run. */
  public static ObjectNode toJson(
      String date, boolean quick, Map<String, Object> machine, List<Benchmark> benchmarks) {
    ObjectNode root = JSON.createObjectNode();
    root.put("date", date);
    root.put("mode", quick ? "quick" : "full");
    root.set("machine", JSON.valueToTree(machine));
    ArrayNode list = root.putArray("benchmarks");
    for (Benchmark b : benchmarks) {
      ObjectNode n = list.addObject();
      n.put("id", b.id());
      n.put("title", b.title());
      n.put("unit", b.unit());
      n.put("better", b.higherIsBetter() ? "higher" : "lower");
      if (b.skipped() != null) {
        n.put("skipped", b.skipped());
      }
      ArrayNode entries = n.putArray("entries");
      for (Benchmark.Entry e : b.entries()) {
        ObjectNode en = entries.addObject();
        en.put("label", e.label());
        en.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
        en.put("median", round(e.median()));
        ArrayNode s = en.putArray("samples");
        e.samples().forEach(v -> s.add(round(v)));
        if (!e.extra().isEmpty()) {
          en.set("extra", JSON.valueToTree(e.extra()));
        }
      }
      ObjectNode ratios = n.putObject("ratios");
      b.ratios().forEach((k, v) -> ratios.put(k, round(v)));
      ArrayNode notes = n.putArray("notes");
      b.notes().forEach(notes::add);
    }
    return root;
  }

  static double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    double mag = Math.abs(v);
    double scale = mag >= 1000 ? 1 : mag >= 10 ? 10 : mag >= 1 ? 100 : 10000;
    return Math.round(v * scale) / scale;
  }

  /** Writes {@code <dir>/<date>.json} and {@code .svg}, and copies both to {@code latest.*}. */
  public static Path write(Path dir, String date, ObjectNode json, String svg) throws IOException {
    Files.createDirectories(dir);
    Path jsonFile = dir.resolve(date + ".json");
    JSON.writeValue(jsonFile.toFile(), json);
    Files.writeString(dir.resolve(date + ".svg"), svg);
    Files.copy(
        jsonFile, dir.resolve("latest.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("latest.svg"), svg);
    return jsonFile;
  }

  /** A plain-text table of medians and ratios. */
  public static void print(PrintStream out, List<Benchmark> benchmarks) {
    for (Benchmark b : benchmarks) {
      out.println();
      out.println(
          "== "
              + b.title()
              + " ("
              + b.unit()
              + ", "
              + (b.higherIsBetter() ? "higher" : "lower")
              + " is better)");
      if (b.skipped() != null) {
        out.println("   skipped: " + b.skipped());
      }
      for (Benchmark.Entry e : b.entries()) {
        out.printf(
            Locale.ROOT,
            "   %-48s %12s   (n=%d, kind %s)%n",
            e.label(),
            fmt(e.median()),
            e.samples().size(),
            e.kind().name().toLowerCase(Locale.ROOT));
      }
      b.ratios().forEach((k, v) -> out.printf(Locale.ROOT, "   ratio %-58s %.2fx%n", k, v));
      b.notes().forEach(n -> out.println("   note: " + n));
    }
  }

  public static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    return a >= 1000
        ? String.format(Locale.ROOT, "%,.0f", v)
        : a >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
