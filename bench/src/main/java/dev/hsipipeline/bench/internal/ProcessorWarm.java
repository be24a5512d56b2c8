package dev.hsipipeline.bench.internal;

import dev.hsipipeline.hsi.CubeProcessor;
import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.ProductOptions;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmark 5's warm figures, in the benchmark's own JVM: the engine over the scene through ranged
 * GETs, a plain GET of the same object and a memory copy of as many bytes (the ceilings the fresh
 * job is read against).
 */
final class ProcessorWarm {
  private ProcessorWarm() {}

  /**
   * Warm, in this JVM: the engine over the same object through ranged GETs, a plain GET, a memory
   * copy.
   */
  static void measure(
      BenchContext ctx,
      Benchmark b,
      S3Client s3,
      SyntheticScene scene,
      SyntheticScene.Uploaded up,
      long sceneBytes)
      throws IOException {
    CubeSource source =
        (offset, length) ->
            s3.getObject(
                r ->
                    r.bucket(up.bucket())
                        .key(up.dataKey())
                        .range("bytes=" + offset + "-" + (offset + length - 1)));
    int cores = Runtime.getRuntime().availableProcessors();
    ProductOptions all = ProductOptions.all().withThreads(cores);
    engine(scene, source, all); // JIT warm-up
    get(s3, up);
    List<Double> engine = new ArrayList<>();
    List<Double> get = new ArrayList<>();
    List<Double> copy = new ArrayList<>();
    int runs = ctx.quick() ? 2 : 3;
    for (int r = 0; r < runs; r++) {
      engine.add(engine(scene, source, all));
      get.add(get(s3, up));
      copy.add(memcpy(sceneBytes));
    }
    double e = Stats.median(engine);
    double g = Stats.median(get);
    b.add("memory copy (System.arraycopy)", Benchmark.Kind.LIMIT, copy);
    b.note(
        String.format(
            Locale.ROOT,
            "warm, in the benchmark JVM (%d threads): engine (all products, ranged GETs) %.0f MB/s vs"
                + " plain GET %.0f MB/s = %.2fx",
            cores,
            e,
            g,
            e / g));
  }

  private static double engine(SyntheticScene scene, CubeSource source, ProductOptions o)
      throws IOException {
    long t0 = System.nanoTime();
    CubeProcessor.Result r =
        CubeProcessor.process(scene.header(), source, o, OutputStream.nullOutputStream());
    return r.bytesRead() / 1e6 / ((System.nanoTime() - t0) / 1e9);
  }

  private static double get(S3Client s3, SyntheticScene.Uploaded up) throws IOException {
    byte[] buf = new byte[1 << 20];
    long t0 = System.nanoTime();
    long n = 0;
    try (InputStream in = s3.getObject(r -> r.bucket(up.bucket()).key(up.dataKey()))) {
      for (int k; (k = in.read(buf)) > 0; ) {
        n += k;
      }
    }
    if (n != up.dataBytes()) {
      throw new IllegalStateException("GET returned " + n + " of " + up.dataBytes() + " bytes");
    }
    return n / 1e6 / ((System.nanoTime() - t0) / 1e9);
  }

  private static double memcpy(long bytes) {
    byte[] src = new byte[64 << 20];
    byte[] dst = new byte[64 << 20];
    java.util.Arrays.fill(src, (byte) 7);
    System.arraycopy(src, 0, dst, 0, src.length); // fault the pages in
    long copied = 0;
    long t0 = System.nanoTime();
    while (copied < bytes) {
      System.arraycopy(src, 0, dst, 0, src.length);
      copied += src.length;
    }
    double mbps = copied / 1e6 / ((System.nanoTime() - t0) / 1e9);
    if (dst[dst.length - 1] != 7) {
      throw new IllegalStateException("copy failed");
    }
    return mbps;
  }
}
