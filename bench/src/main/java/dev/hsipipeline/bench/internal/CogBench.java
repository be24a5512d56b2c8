package dev.hsipipeline.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.bench.probe.CogConvert;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.cog.EnviToCog;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 6 (issue 11 §6): ENVI → COG of an AVIRIS-like cube (int16 BIL, 224 bands, ≥ 200 MB) by
 * our converter in a fresh JVM against {@code gdal_translate -of COG} with the same compression,
 * predictor, level and block size and {@code NUM_THREADS=ALL_CPUS}, run as adjacent groups (ours
 * band-interleaved with GKL and with java.util.zip, ours pixel-interleaved like GDAL 3.6's COG,
 * GDAL; the order rotates) so the shared machine's load hits all alike. Reports wall time (spawn to
 * exit), output size and peak RSS, and the processor's read patterns on both interleaves. For the
 * memory target two more scenes of the same width, 2 and 4 times as long (both at least two tile
 * rows tall, so the converter holds the same strips), are converted by our default and by GDAL with
 * the job's JVM options: peak RSS at both sizes and their ratio.
 */
public final class CogBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TILE = 512, LEVEL = 6;

  /** Ours band-interleaved (native deflate, java.util.zip), ours pixel-interleaved, GDAL. */
  private static final List<String> VARIANTS = List.of("band", "band-zlib", "pixel", "gdal");

  /** What runs at the second size, for the memory target: our default and GDAL. */
  private static final List<String> MEMORY_VARIANTS = List.of("band", "gdal");

  private CogBench() {}

  record Size(int samples, int lines, int bands) {
    long bytes() {
      return (long) samples * lines * bands * 2;
    }

    @Override
    public String toString() {
      return samples + "x" + lines + "x" + bands;
    }
  }

  /** One variant's samples at one size. */
  static final class Series {
    final List<Double> seconds = new ArrayList<>();
    long bytes;
    long peakRssKiB;
    long lastRssMiB;
  }

  public static Benchmark run(BenchContext ctx) throws IOException {
    Benchmark b =
        new Benchmark(
            "cog",
            "6. ENVI → COG (int16 BIL, 224 bands), fresh processes: ours vs gdal_translate -of COG",
            "s",
            false);
    if (!Processes.available("gdal_translate", "--version")) {
      b.skip("gdal_translate not installed (apt-get install gdal-bin python3-gdal)");
      return b;
    }
    // The speed target's scene (>= 200 MB), then the memory target's pair: the same width, 2 and 4
    // times the lines, both at least two 512-line tile rows tall so that the converter holds the
    // same strips (a scene shorter than a tile row has a smaller strip) — peak RSS must not grow.
    List<Size> sizes =
        List.of(new Size(677, 700, 224), new Size(677, 1400, 224), new Size(677, 2800, 224));
    JobContainer activator =
        JobContainer.of(ctx.repoRoot().resolve("batch/activator/job-definition.json"), "hsi-data");
    Map<Size, Map<String, Series>> bySize = new LinkedHashMap<>();
    Path classPath = classPath(ctx);
    Path reads = ctx.repoRoot().resolve("bench/cog/reads.py");
    for (int si = 0; si < sizes.size(); si++) {
      Size size = sizes.get(si);
      Path dir = Files.createDirectories(ctx.work().resolve("cog-" + size));
      SyntheticScene scene =
          SyntheticScene.of(
              SyntheticScene.Spec.defaults()
                  .withSize(size.samples(), size.lines(), size.bands())
                  .withInterleave(Interleave.BIL)
                  .withDataType(DataType.INT16));
      ctx.progress(
          String.format(
              Locale.ROOT,
              "cog: writing a %s int16 BIL scene (%.0f MB)",
              size,
              size.bytes() / 1e6));
      // The synthetic scene carries its map info (UTM zone 11N, 15 m): georeferenced like AVIRIS.
      Path hdr = scene.writeTo(dir, "scene");
      Path img = dir.resolve("scene.img");
      Map<String, Series> series = new LinkedHashMap<>();
      for (String v : si == 0 ? VARIANTS : MEMORY_VARIANTS) series.put(v, new Series());
      bySize.put(size, series);
      int runs = si == 0 ? Math.max(3, ctx.runs()) : ctx.quick() ? 1 : Math.max(2, ctx.runs() / 2);
      List<Double> loads = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        loads.add(loadAverage());
        List<String> order = new ArrayList<>(series.keySet());
        java.util.Collections.rotate(order, r);
        for (String v : order) {
          Path out = dir.resolve(v + ".tif");
          Files.deleteIfExists(out);
          ChildRun run =
              switch (v) {
                case "gdal" -> gdal(img, out, dir);
                case "band-zlib" -> ours(classPath, activator, hdr, img, out, "band", "zlib", dir);
                default -> ours(classPath, activator, hdr, img, out, v, "native", dir);
              };
          Series s = series.get(v);
          s.seconds.add(run.wallMillis() / 1000);
          s.bytes = Files.size(out);
          s.peakRssKiB = Math.max(s.peakRssKiB, run.peakRssKiB());
          s.lastRssMiB = run.peakRssKiB() >> 10;
        }
        StringBuilder walls = new StringBuilder();
        series.forEach(
            (v, s) ->
                walls.append(
                    String.format(Locale.ROOT, "%s %.1f s (%d MiB), ", v, last(s), s.lastRssMiB)));
        ctx.progress(
            String.format(
                Locale.ROOT,
                "cog %s run %d/%d: %sload %.1f",
                size,
                r + 1,
                runs,
                walls,
                loads.get(loads.size() - 1)));
      }
      if (si == 0) record(b, size, series, loads);
      if (si == 0) readPatterns(ctx, b, reads, dir);
      if (si == 0)
        b.note(
            GdalBandLayout.note(
                img, dir, TILE, LEVEL, size.samples(), size.lines(), series.get("band").bytes));
    }
    rssAcrossSizes(b, sizes, bySize);
    b.note(
        "options: DEFLATE level "
            + LEVEL
            + ", predictor 2, "
            + TILE
            + " px tiles, AVERAGE overviews; GDAL "
            + gdalVersion()
            + " with NUM_THREADS=ALL_CPUS (libdeflate); ours: java -cp hsi-core "
            + CogConvert.class.getSimpleName()
            + " in the activator container's memory (-XX:MaxRAM="
            + activator.memoryMib()
            + "m, JAVA_TOOL_OPTIONS="
            + activator.environment().getOrDefault("JAVA_TOOL_OPTIONS", "")
            + "), "
            + Runtime.getRuntime().availableProcessors()
            + " worker threads, tiles deflated by Intel GKL's native zlib (\"band\", \"pixel\") or"
            + " java.util.zip (\"band, zlib\"; ADR 0109); wall time is spawn to exit of each"
            + " process");
    return b;
  }

  private static double last(Series s) {
    return s.seconds.get(s.seconds.size() - 1);
  }

  private static void record(
      Benchmark b, Size size, Map<String, Series> series, List<Double> loads) {
    Series band = series.get("band"), zlib = series.get("band-zlib");
    Series pixel = series.get("pixel"), gdal = series.get("gdal");
    String text = String.format(Locale.ROOT, "%s int16 BIL, %.0f MB", size, size.bytes() / 1e6);
    b.add("ours, band interleave (default)", Benchmark.Kind.OURS, band.seconds, extra(band, text));
    b.add(
        "ours, band interleave, java.util.zip",
        Benchmark.Kind.OURS,
        zlib.seconds,
        extra(zlib, text));
    b.add("ours, pixel interleave", Benchmark.Kind.OURS, pixel.seconds, extra(pixel, text));
    b.add("gdal_translate -of COG (pixel)", Benchmark.Kind.PEER, gdal.seconds, extra(gdal, text));
    double g = Stats.median(gdal.seconds);
    b.note(
        String.format(
            Locale.ROOT,
            "%s: wall ours band %.2f s / band with java.util.zip %.2f s / pixel %.2f s vs GDAL %.2f s"
                + " = %.2fx / %.2fx / %.2fx GDAL's speed;"
                + " size band %.1f MB (%.3fx GDAL's), pixel %.1f MB (%.3fx), GDAL %.1f MB;"
                + " peak RSS band %d MiB, pixel %d MiB, GDAL %d MiB; load %s",
            text,
            Stats.median(band.seconds),
            Stats.median(zlib.seconds),
            Stats.median(pixel.seconds),
            g,
            g / Stats.median(band.seconds),
            g / Stats.median(zlib.seconds),
            g / Stats.median(pixel.seconds),
            band.bytes / 1e6,
            (double) band.bytes / gdal.bytes,
            pixel.bytes / 1e6,
            (double) pixel.bytes / gdal.bytes,
            gdal.bytes / 1e6,
            band.peakRssKiB >> 10,
            pixel.peakRssKiB >> 10,
            gdal.peakRssKiB >> 10,
            loads.stream().map(l -> String.format(Locale.ROOT, "%.1f", l)).toList()));
  }

  /** Issue 11's memory target: peak RSS of our default and of GDAL at both sizes, side by side. */
  private static void rssAcrossSizes(
      Benchmark b, List<Size> sizes, Map<Size, Map<String, Series>> bySize) {
    Size small = sizes.get(1), large = sizes.get(2);
    for (Size size : List.of(small, large)) {
      Series band = bySize.get(size).get("band"), gdal = bySize.get(size).get("gdal");
      b.note(
          String.format(
              Locale.ROOT,
              "%s int16 BIL, %.0f MB: wall ours band %.2f s, GDAL %.2f s (%.2fx GDAL's speed);"
                  + " size band %.1f MB, GDAL %.1f MB",
              size,
              size.bytes() / 1e6,
              Stats.median(band.seconds),
              Stats.median(gdal.seconds),
              Stats.median(gdal.seconds) / Stats.median(band.seconds),
              band.bytes / 1e6,
              gdal.bytes / 1e6));
    }
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "peak RSS (max over runs), %s (%.0f MB) -> %s (%.0f MB), %.0fx the lines at the"
                    + " same width:",
                small,
                small.bytes() / 1e6,
                large,
                large.bytes() / 1e6,
                (double) large.bytes() / small.bytes()));
    for (String v : MEMORY_VARIANTS) {
      long a = bySize.get(small).get(v).peakRssKiB >> 10,
          z = bySize.get(large).get(v).peakRssKiB >> 10;
      text.append(
          String.format(
              Locale.ROOT,
              " %s %d -> %d MiB (%.2fx);",
              label(v),
              a,
              z,
              (double) z / Math.max(1, a)));
    }
    b.note(text.substring(0, text.length() - 1));
  }

  private static String label(String variant) {
    return switch (variant) {
      case "gdal" -> "gdal_translate";
      case "band-zlib" -> "ours band (java.util.zip)";
      default -> "ours " + variant;
    };
  }

  private static Map<String, Object> extra(Series s, String scene) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scene", scene);
    m.put("bytes", s.bytes);
    m.put("peakRssMiB", s.peakRssKiB >> 10);
    return m;
  }

  private static ChildRun ours(
      Path classPath,
      JobContainer container,
      Path hdr,
      Path img,
      Path out,
      String interleave,
      String deflate,
      Path dir)
      throws IOException {
    List<String> cmd =
        List.of(
            Processes.java(),
            "-XX:MaxRAM=" + container.memoryMib() + "m",
            "-Dhsi.cog.deflate=" + deflate,
            "-cp",
            classPath.toString(),
            CogConvert.class.getName(),
            hdr.toString(),
            img.toString(),
            out.toString(),
            interleave.toUpperCase(Locale.ROOT),
            Integer.toString(LEVEL),
            Integer.toString(TILE));
    Map<String, String> env = new LinkedHashMap<>();
    String toolOptions = container.environment().get("JAVA_TOOL_OPTIONS");
    if (toolOptions != null) env.put("JAVA_TOOL_OPTIONS", toolOptions);
    return ChildRun.of(cmd, env, dir.resolve("ours.log"), 1800);
  }

  private static ChildRun gdal(Path img, Path out, Path dir) throws IOException {
    List<String> cmd =
        List.of(
            "gdal_translate",
            "-q",
            "-of",
            "COG",
            "-co",
            "COMPRESS=DEFLATE",
            "-co",
            "PREDICTOR=YES",
            "-co",
            "LEVEL=" + LEVEL,
            "-co",
            "BLOCKSIZE=" + TILE,
            "-co",
            "RESAMPLING=AVERAGE",
            "-co",
            "NUM_THREADS=ALL_CPUS",
            img.toString(),
            out.toString());
    return ChildRun.of(cmd, Map.of(), dir.resolve("gdal.log"), 1800);
  }

  /** ADR 0106's measurement: the processor's reads on both interleaves, GDAL as the reader. */
  private static void readPatterns(BenchContext ctx, Benchmark b, Path script, Path dir)
      throws IOException {
    ctx.progress("cog: read patterns on both interleaves");
    ChildRun run =
        ChildRun.of(
            List.of(
                "/usr/bin/python3",
                script.toString(),
                dir.resolve("band.tif").toString(),
                dir.resolve("pixel.tif").toString(),
                "60,30",
                "30,20,10"),
            Map.of(),
            dir.resolve("reads.log"),
            1800);
    String line =
        run.output().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
    JsonNode r = JSON.readTree(line.substring(7));
    r.fields()
        .forEachRemaining(
            e -> {
              JsonNode band = e.getValue().get("band"), pixel = e.getValue().get("pixel");
              b.note(
                  String.format(
                      Locale.ROOT,
                      "read %s with GDAL: band interleave %.2f s, %.1f MB of tiles; pixel"
                          + " interleave %.2f s, %.1f MB of tiles",
                      e.getKey(),
                      band.get("seconds").asDouble(),
                      band.get("bytes").asLong() / 1e6,
                      pixel.get("seconds").asDouble(),
                      pixel.get("bytes").asLong() / 1e6));
            });
  }

  /**
   * hsi-core with its dependencies (the jars beside it, as ./pipeline bench packages them, or this
   * JVM's class path) and the probe.
   */
  private static Path classPath(BenchContext ctx) throws IOException {
    Path core = Path.of(jarOf(EnviToCog.class));
    String deps =
        Files.isRegularFile(core)
            ? core.getParent().resolve("*").toString()
            : System.getProperty("java.class.path");
    Path probe =
        Processes.jarOf(ctx.work().resolve("probe/cog-convert.jar"), null, CogConvert.class);
    return Path.of(deps + java.io.File.pathSeparator + probe);
  }

  private static String jarOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String gdalVersion() {
    try {
      Process p = new ProcessBuilder("gdal_translate", "--version").start();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
