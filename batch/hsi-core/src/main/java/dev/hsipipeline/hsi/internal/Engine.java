package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.BandStats;
import dev.hsipipeline.hsi.CubeProcessor;
import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.NdiResult;
import dev.hsipipeline.hsi.ProductOptions;
import dev.hsipipeline.hsi.QuicklookResult;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The streaming product engine behind {@link CubeProcessor}: chooses the passes over the cube,
 * streams each through its products ({@link OrderedFold}, {@link Pass}) and finishes them.
 *
 * <p>Data flows as blocks of whole lines ({@link BlockProducer}). Each product ({@link
 * BandStatistics}, {@link NdiAccumulator}, {@link QuicklookAccumulator}) turns a block into
 * per-(band, line) partials on worker threads and folds them strictly in line order on the calling
 * thread. Because every partial covers exactly one band of one line (whatever the block size,
 * thread count or interleave) and the fold order is fixed, all paths give bit-identical products.
 */
public final class Engine {
  private final EnviHeader header;
  private final ProductOptions options;
  private final CubeFormat format;
  private final BandStatistics<?> stats;
  private final NdiAccumulator ndi;
  private final QuicklookAccumulator quicklook;
  private final int[] spatialBands;

  /** Resolves bands and allocates accumulators; fails on products this header cannot support. */
  public Engine(EnviHeader header, ProductOptions options, OutputStream ndiOut) {
    this.header = header;
    this.options = options;
    this.format = CubeFormat.of(header);
    if (header.lineBytes() > Integer.MAX_VALUE - 64)
      throw new IllegalArgumentException(
          "a single line of " + header.lineBytes() + " bytes is too large to stream");
    LinkedHashSet<Integer> spatial = new LinkedHashSet<>();
    if (options.ndi() != null) {
      if (ndiOut == null)
        throw new IllegalArgumentException("ndi requested without an output stream");
      ProductOptions.Ndi o = options.ndi();
      int a = band(o.wavelengthA(), "ndi");
      int b = band(o.wavelengthB(), "ndi");
      if (a == b)
        throw new IllegalArgumentException(
            "ndi: "
                + o.wavelengthA()
                + " nm and "
                + o.wavelengthB()
                + " nm both map to band "
                + (a + 1)
                + ", the index would be 0 everywhere");
      ndi = new NdiAccumulator(header, a, b, ndiOut);
      spatial.add(a);
      spatial.add(b);
    } else {
      ndi = null;
    }
    if (options.quicklook() != null) {
      ProductOptions.Quicklook q = options.quicklook();
      int[] rgb = {
        band(q.red(), "quicklook"), band(q.green(), "quicklook"), band(q.blue(), "quicklook")
      };
      quicklook = new QuicklookAccumulator(header, q, rgb);
      for (int b : rgb) spatial.add(b);
    } else {
      quicklook = null;
    }
    this.stats = options.stats() ? BandStatistics.of(header) : null;
    this.spatialBands = spatial.stream().mapToInt(Integer::intValue).toArray();
  }

  private int band(double nm, String product) {
    try {
      return header.nearestGoodBand(nm);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(product + ": " + e.getMessage());
    }
  }

  /** Streams the source and returns the products. */
  public CubeProcessor.Result run(CubeSource source) throws IOException {
    long bytesRead = 0;
    int blockBytes = options.blockBytes();
    if (header.interleave() != Interleave.BSQ) {
      List<Accumulator<?>> all = products(stats, ndi, quicklook);
      if (!all.isEmpty())
        bytesRead += pass(new InterleavedProducer(header, blockBytes, source), all);
    } else {
      // BSQ: statistics stream every band once; the spatial products read only their bands.
      if (stats != null)
        bytesRead += pass(new BsqBandProducer(header, blockBytes, source), List.of(stats));
      List<Accumulator<?>> spatial = products(null, ndi, quicklook);
      if (!spatial.isEmpty())
        bytesRead +=
            pass(new BsqBandSetProducer(header, blockBytes, source, spatialBands), spatial);
    }
    NdiResult ndiResult = ndi != null ? ndi.result() : null;
    List<BandStats> statsResult = null;
    QuicklookResult quicklookResult = null;
    if (stats != null && quicklook != null && options.threads() > 1) {
      // Both finishing steps are single-threaded and independent (exact BigDecimal moments
      // per band; percentiles, stretch and PNG): run them side by side.
      CompletableFuture<List<BandStats>> f = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  f.complete(stats.result());
                } catch (Throwable e) {
                  f.completeExceptionally(e);
                }
              },
              "hsi-stats");
      t.setDaemon(true);
      t.start();
      quicklookResult = quicklook.result();
      try {
        statsResult = f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while finishing the statistics", e);
      } catch (ExecutionException e) {
        throw OrderedFold.rethrow(e.getCause());
      }
    } else {
      if (stats != null) statsResult = stats.result();
      if (quicklook != null) quicklookResult = quicklook.result();
    }
    return new CubeProcessor.Result(statsResult, ndiResult, quicklookResult, bytesRead);
  }

  /** The non-null products, in the order their partials are computed and folded. */
  private static List<Accumulator<?>> products(Accumulator<?>... candidates) {
    List<Accumulator<?>> out = new ArrayList<>();
    for (Accumulator<?> a : candidates) if (a != null) out.add(a);
    return out;
  }

  private long pass(BlockProducer producer, List<Accumulator<?>> products) throws IOException {
    OrderedFold.run(producer, options.threads(), new Pass(format, products));
    return producer.bytesRead();
  }

  /**
   * Starts loading what the products need on a background thread (see {@link
   * CubeProcessor#warmUp}).
   */
  public static void warmUp(ProductOptions o) {
    if (o.quicklook() == null) return;
    Thread t = new Thread(Png::warmUp, "hsi-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }
}
