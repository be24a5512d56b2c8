package dev.hsipipeline.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.bench.probe.S3Get;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import dev.hsipipeline.local.aws.LocalS3;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmark 5: the processor job as AWS Batch runs it — a fresh {@code java -jar processor.jar}
 * with the job definition's JVM flags and container limits — computing stats + ndi + quicklook of
 * an int16 BIL scene of at least 100 MB from local S3, against a plain sequential GET of the same
 * object in a fresh JVM with the same flags and the job's own SDK jars (the I/O floor).
 *
 * <p>The two run as adjacent pairs (alternating which goes first) so that the shared machine's load
 * hits both alike; the note gives each pair's ratio and the load average. Throughput is the job's
 * own "compute" step (first ranged GET to products in memory, PNG encoded) against the GET from
 * request to last byte, both after the SDK client has made its first request. The warm in-process
 * figures (engine over the same object, GET, memory copy) are in the notes.
 */
public final class ProcessorBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "hsi-data";

  private ProcessorBench() {}

  /** A scene size in samples × lines × bands (int16). */
  record Size(int samples, int lines, int bands) {
    long bytes() {
      return (long) samples * lines * bands * 2;
    }

    @Override
    public String toString() {
      return samples + "x" + lines + "x" + bands;
    }
  }

  /**
   * One fresh-JVM pair: the job's compute MB/s, its wall time and peak RSS; the GET's MB/s and RSS;
   * load.
   */
  record Pair(
      double jobMBs,
      double jobWallMs,
      long jobRssKiB,
      double getMBs,
      long getRssKiB,
      double load) {}

  public static Benchmark run(BenchContext ctx) throws IOException {
    Benchmark b =
        new Benchmark(
            "processor",
            "5. Processor job (fresh JVM, stats + ndi + quicklook) from local S3 vs a plain GET of the same object",
            "MB/s",
            true);
    Path jar = ctx.repoRoot().resolve("batch/processor/target/processor.jar");
    Path lib = ctx.repoRoot().resolve("batch/processor/target/lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new IllegalStateException(jar + " (and lib/) missing: run ./pipeline build first");
    }
    JobContainer container =
        JobContainer.of(ctx.repoRoot().resolve("batch/processor/job-definition.json"), BUCKET);
    List<Size> sizes =
        ctx.quick()
            ? List.of(new Size(512, 512, 224))
            : List.of(new Size(512, 512, 224), new Size(512, 1024, 224));
    Path probe =
        Processes.jarOf(ctx.work().resolve("probe/s3-get.jar"), S3Get.class.getName(), S3Get.class);
    Path dataDir = ctx.work().resolve("s3");
    try (LocalS3 server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dataDir));
        S3Client s3 = client(server.endpoint())) {
      server.createBucket(BUCKET);
      Map<String, String> env = container.jobEnvironment(server.endpoint());
      for (int si = 0; si < sizes.size(); si++) {
        Size size = sizes.get(si);
        SyntheticScene scene =
            SyntheticScene.of(
                SyntheticScene.Spec.defaults()
                    .withSize(size.samples(), size.lines(), size.bands())
                    .withInterleave(Interleave.BIL)
                    .withDataType(DataType.INT16));
        ctx.progress(
            String.format(
                Locale.ROOT,
                "processor: uploading a %s int16 BIL scene (%.0f MB) to local S3",
                size,
                size.bytes() / 1e6));
        SyntheticScene.Uploaded up = scene.upload(s3, BUCKET, "bench/scene-" + size);
        // The parts of a scene item the processor reads (ADR 0160): id, datetime, header + envi.
        String itemKey = "stac/scenes/items/bench-" + size + ".json";
        String item =
            "{\"type\":\"Feature\",\"stac_version\":\"1.0.0\",\"id\":\"bench-"
                + size
                + "\",\"properties\":{\"datetime\":\"2026-01-01T00:00:00Z\"},"
                + "\"assets\":{\"header\":{\"href\":\""
                + up.headerUri()
                + "\"},\"envi\":{\"href\":\""
                + up.dataUri()
                + "\"}}}";
        s3.putObject(r -> r.bucket(BUCKET).key(itemKey), RequestBody.fromString(item));
        String event =
            "{\"item\":\"s3://"
                + BUCKET
                + "/"
                + itemKey
                + "\",\"products\":[\"stats\",\"ndi\",\"quicklook\"],\"force\":true}";

        List<Pair> pairs = new ArrayList<>();
        int runs = si == 0 ? Math.max(3, ctx.runs()) : Math.max(2, ctx.runs() / 2);
        for (int r = 0; r < runs; r++) {
          // Alternate the order: whichever runs second meets the page cache and load the first
          // left.
          double[] get = null;
          double[] job = null;
          double load = loadAverage();
          if (r % 2 == 0) {
            get = freshGet(ctx, probe, lib, container, env, up);
            job = freshJob(ctx, jar, container, env, event);
          } else {
            job = freshJob(ctx, jar, container, env, event);
            get = freshGet(ctx, probe, lib, container, env, up);
          }
          Pair p = new Pair(job[0], job[1], (long) job[2], get[0], (long) get[1], load);
          pairs.add(p);
          ctx.progress(
              String.format(
                  Locale.ROOT,
                  "processor %s run %d/%d: job %.0f MB/s vs GET %.0f MB/s (%.2fx), load %.1f",
                  size,
                  r + 1,
                  runs,
                  p.jobMBs(),
                  p.getMBs(),
                  p.jobMBs() / p.getMBs(),
                  p.load()));
        }
        List<Double> ratios = pairs.stream().map(p -> p.jobMBs() / p.getMBs()).toList();
        String sizeText =
            String.format(Locale.ROOT, "%s int16 BIL, %.0f MB", size, size.bytes() / 1e6);
        if (si == 0) {
          Map<String, Object> extra = new LinkedHashMap<>();
          extra.put("scene", sizeText);
          extra.put("pairRatios", ratios.stream().map(ProcessorBench::round2).toList());
          extra.put("medianPairRatio", round2(Stats.median(ratios)));
          extra.put(
              "peakRssMiB", pairs.stream().mapToLong(p -> p.jobRssKiB() >> 10).max().orElse(0));
          extra.put(
              "medianWallMs",
              Math.round(Stats.median(pairs.stream().map(Pair::jobWallMs).toList())));
          extra.put("loadAverages", pairs.stream().map(p -> round2(p.load())).toList());
          b.add(
              "processor.jar, fresh JVM, stats+ndi+quicklook",
              Benchmark.Kind.OURS,
              pairs.stream().map(Pair::jobMBs).toList(),
              extra);
          Map<String, Object> gextra = new LinkedHashMap<>();
          gextra.put(
              "peakRssMiB", pairs.stream().mapToLong(p -> p.getRssKiB() >> 10).max().orElse(0));
          b.add(
              "plain S3 GET, fresh JVM, same object",
              Benchmark.Kind.LIMIT,
              pairs.stream().map(Pair::getMBs).toList(),
              gextra);
        }
        b.note(
            String.format(
                Locale.ROOT,
                "%s: fresh processor.jar %.0f MB/s vs fresh GET %.0f MB/s (medians), pair ratios %s"
                    + " (median %.2f); job wall %.1f s, job peak RSS %d MiB (GET JVM %d MiB); load average %s on %d cores",
                sizeText,
                Stats.median(pairs.stream().map(Pair::jobMBs).toList()),
                Stats.median(pairs.stream().map(Pair::getMBs).toList()),
                ratios.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList(),
                Stats.median(ratios),
                Stats.median(pairs.stream().map(Pair::jobWallMs).toList()) / 1000,
                pairs.stream().mapToLong(p -> p.jobRssKiB() >> 10).max().orElse(0),
                pairs.stream().mapToLong(p -> p.getRssKiB() >> 10).max().orElse(0),
                pairs.stream().map(p -> String.format(Locale.ROOT, "%.1f", p.load())).toList(),
                Runtime.getRuntime().availableProcessors()));
        if (si == 0) {
          ProcessorWarm.measure(ctx, b, s3, scene, up, size.bytes());
        }
      }
      b.note(
          "flags: JAVA_TOOL_OPTIONS=\""
              + env.getOrDefault("JAVA_TOOL_OPTIONS", "")
              + "\" -XX:ActiveProcessorCount="
              + container.vcpus()
              + " -XX:MaxRAM="
              + container.memoryMib()
              + "m (from batch/processor/job-definition.json, as the local"
              + " Batch runner passes them); JVM "
              + Runtime.version()
              + " (the image runs Corretto 21)");
    }
    return b;
  }

  /**
   * {@code java -jar processor.jar <event>} as the Batch runner starts it: {compute MB/s, wall ms,
   * peak RSS KiB}.
   */
  private static double[] freshJob(
      BenchContext ctx, Path jar, JobContainer c, Map<String, String> env, String event)
      throws IOException {
    List<String> cmd = new ArrayList<>(c.jvm());
    cmd.addAll(List.of("-jar", jar.toString(), event));
    JobContainer.Child run = JobContainer.run(cmd, env, ctx.work().resolve("job.log"));
    double mbs = -1;
    long rss = -1;
    for (String line : run.output().split("\n")) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode n = JSON.readTree(line);
      String step = n.path("step").asText();
      if ("compute".equals(step) && n.has("bytesRead")) {
        mbs = n.get("bytesRead").asLong() / 1e6 / (Math.max(1, n.get("durationMs").asLong()) / 1e3);
      } else if ("end".equals(step)) {
        rss = n.path("peakRssKiB").asLong(-1);
      }
    }
    if (mbs < 0) {
      throw new IllegalStateException("processor.jar logged no compute step:\n" + run.output());
    }
    return new double[] {mbs, run.wallMs(), rss};
  }

  /** {@link S3Get} in a fresh JVM with the job's SDK jars: {MB/s, peak RSS KiB}. */
  private static double[] freshGet(
      BenchContext ctx,
      Path probe,
      Path lib,
      JobContainer c,
      Map<String, String> env,
      SyntheticScene.Uploaded up)
      throws IOException {
    List<String> cmd = new ArrayList<>(c.jvm());
    cmd.addAll(
        List.of(
            "-cp",
            probe + java.io.File.pathSeparator + lib.resolve("*"),
            S3Get.class.getName(),
            up.bucket(),
            up.dataKey()));
    JobContainer.Child run = JobContainer.run(cmd, env, ctx.work().resolve("get.log"));
    for (String line : run.output().split("\n")) {
      if (line.startsWith("RESULT ")) {
        JsonNode n = JSON.readTree(line.substring(7));
        return new double[] {n.get("mbPerSecond").asDouble(), n.get("peakRssKiB").asDouble()};
      }
    }
    throw new IllegalStateException("S3 GET probe printed no RESULT:\n" + run.output());
  }

  private static S3Client client(URI endpoint) {
    return S3Client.builder()
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofMinutes(2)))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .build();
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
