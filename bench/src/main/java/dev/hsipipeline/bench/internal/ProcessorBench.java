package dev.hsipipeline.bench.internal;

import dev.hsipipeline.hsi.CubeProcessor;
import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.ProductOptions;
import dev.hsipipeline.hsi.SyntheticScene;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 5: the processor's product engine (per-band statistics, NDI, quicklook; streaming,
 * bounded memory) in MB/s over a synthetic cube file, against its limits on this machine:
 * reading the same file sequentially (page cache) and copying memory.
 */
public final class ProcessorBench {
  private ProcessorBench() {}

  public static Benchmark run(BenchContext ctx) throws IOException {
    Benchmark b = new Benchmark("processor", "5. Processor: all products over a cube file vs the machine's limits", "MB/s", true);
    SyntheticScene.Spec spec = SyntheticScene.Spec.defaults();
    spec = ctx.quick() ? spec.withSize(512, 256, 224) : spec.withSize(512, 1024, 224);
    SyntheticScene scene = SyntheticScene.of(spec);
    Path dir = ctx.work().resolve("cube");
    scene.writeTo(dir, "scene");
    Path img = dir.resolve("scene.img");
    long bytes = Files.size(img);
    int cores = Runtime.getRuntime().availableProcessors();
    List<Double> allCores = new ArrayList<>();
    List<Double> oneThread = new ArrayList<>();
    List<Double> read = new ArrayList<>();
    List<Double> copy = new ArrayList<>();
    process(scene, img, ProductOptions.all()); // warm-up: JIT and page cache
    int runs = Math.max(3, ctx.runs());
    for (int r = 0; r < runs; r++) {
      allCores.add(mbps(bytes, () -> process(scene, img, ProductOptions.all().withThreads(cores))));
      oneThread.add(mbps(bytes, () -> process(scene, img, ProductOptions.all().withThreads(1))));
      read.add(mbps(bytes, () -> sequentialRead(img)));
      copy.add(memcpy(bytes));
      ctx.progress("processor run " + (r + 1) + "/" + runs);
    }
    b.add("CubeProcessor, all products, " + cores + " threads", Benchmark.Kind.OURS, allCores);
    b.add("CubeProcessor, all products, 1 thread", Benchmark.Kind.OURS, oneThread);
    b.add("sequential file read (FileChannel, 4 MiB buffer)", Benchmark.Kind.LIMIT, read);
    b.add("memory copy (System.arraycopy, 64 MiB)", Benchmark.Kind.LIMIT, copy);
    b.note(String.format(java.util.Locale.ROOT, "cube %d x %d x %d %s %s, %.0f MB, in the page cache after the"
            + " warm-up (so the read limit is memory bandwidth through the kernel, not a disk)",
        spec.samples(), spec.lines(), spec.bands(), spec.interleave(), spec.dataType(), bytes / 1e6));
    return b;
  }

  private interface Work {
    void run() throws IOException;
  }

  private static double mbps(long bytes, Work w) throws IOException {
    long t0 = System.nanoTime();
    w.run();
    return bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
  }

  private static void process(SyntheticScene scene, Path img, ProductOptions options) throws IOException {
    CubeProcessor.Result r = CubeProcessor.process(scene.header(), CubeSource.ofFile(img), options, OutputStream.nullOutputStream());
    if (r.bytesRead() <= 0) {
      throw new IllegalStateException("processor read nothing");
    }
  }

  private static void sequentialRead(Path img) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(4 << 20);
    long sum = 0;
    try (FileChannel ch = FileChannel.open(img, StandardOpenOption.READ)) {
      int n;
      while ((n = ch.read(buf)) >= 0) {
        sum += n + buf.get(0); // touch the data so the read cannot be skipped
        buf.clear();
      }
    }
    if (sum == 0) {
      throw new IllegalStateException("empty file");
    }
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
