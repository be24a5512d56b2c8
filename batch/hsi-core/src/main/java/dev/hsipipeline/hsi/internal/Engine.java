package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.BandStats;
import dev.hsipipeline.hsi.CubeProcessor;
import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.NdiResult;
import dev.hsipipeline.hsi.ProductOptions;
import dev.hsipipeline.hsi.QuicklookResult;
import dev.hsipipeline.hsi.TruncatedDataException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streaming product engine behind {@link CubeProcessor}.
 *
 * <p>Data flows as blocks of whole lines. Workers turn a block into per-(band, line) partial
 * results; the calling thread folds them strictly in line order. Because every partial covers
 * exactly one band of one line (whatever the block size, thread count or interleave) and the fold
 * order is fixed, all paths give bit-identical products.
 */
public final class Engine {
  private static final MathContext MC = new MathContext(40);
  private static final Object END = new Object();

  private final EnviHeader h;
  private final ProductOptions o;
  private final OutputStream ndiOut;
  private final int samples, lines, bands, bps;
  private final DataType type;
  private final boolean big;
  private final boolean intPath;
  private final boolean ignoreMatches;
  private final float ignoreF;
  private final int ignoreInt;
  private final boolean ignoreInType; // integer data: the ignore value is a possible sample value
  private final short ignoreRaw; // ... and its 16-bit pattern
  private final boolean[] good;

  private final int ndiA, ndiB;
  private final int[] ql;
  private final int qf, qw, qh;

  // statistics accumulators, per band
  private final long[] cnt, isum, sqHi, sqLo;
  private final double[] fmean, fm2;
  private final float[] mn, mx;
  // NDI summary
  private long ndiN;
  private double ndiSum;
  private float ndiMin = Float.POSITIVE_INFINITY, ndiMax = Float.NEGATIVE_INFINITY;
  // quicklook: current output row being summed, finished rows
  private final double[][] rowSum;
  private final int[][] rowCnt;
  private int curRow = -1;
  private final float[][] raster;
  private final int[][] rasterHigh; // per channel: Ranks.addHigh histogram of the finished rows
  private final int[] rasterValid; // per channel: non-NaN values in the finished rows
  private long bytesRead;

  /** Resolves bands and allocates accumulators; fails on products this header cannot support. */
  public Engine(EnviHeader h, ProductOptions o, OutputStream ndiOut) {
    this.h = h;
    this.o = o;
    this.ndiOut = ndiOut;
    this.samples = h.samples();
    this.lines = h.lines();
    this.bands = h.bands();
    this.type = h.dataType();
    this.bps = type.bytes();
    this.big = h.byteOrder() == ByteOrder.BIG_ENDIAN;
    this.intPath = type.isInteger();
    Double ignore = h.dataIgnoreValue();
    this.ignoreMatches =
        ignore != null && !ignore.isNaN() && (double) (float) ignore.doubleValue() == ignore;
    this.ignoreF = ignoreMatches ? (float) ignore.doubleValue() : 0f;
    // Integer data: the ignore value as an int, or Integer.MIN_VALUE (no uint8/int16/uint16 sample
    // has it).
    this.ignoreInt =
        ignoreMatches && ignore == Math.rint(ignore) && Math.abs(ignore) < 1 << 30
            ? (int) ignore.doubleValue()
            : Integer.MIN_VALUE;
    this.ignoreInType =
        switch (type) {
          case UINT8 -> ignoreInt >= 0 && ignoreInt <= 0xFF;
          case INT16 -> ignoreInt >= Short.MIN_VALUE && ignoreInt <= Short.MAX_VALUE;
          case UINT16 -> ignoreInt >= 0 && ignoreInt <= 0xFFFF;
          case FLOAT32 -> false;
        };
    this.ignoreRaw = ignoreInType ? (short) ignoreInt : 0;
    if (h.lineBytes() > Integer.MAX_VALUE - 64)
      throw new IllegalArgumentException(
          "a single line of " + h.lineBytes() + " bytes is too large to stream");
    good = new boolean[bands];
    for (int b = 0; b < bands; b++) good[b] = h.isGoodBand(b);

    if (o.ndi() != null) {
      if (ndiOut == null)
        throw new IllegalArgumentException("ndi requested without an output stream");
      ndiA = band(o.ndi().wavelengthA(), "ndi");
      ndiB = band(o.ndi().wavelengthB(), "ndi");
      if (ndiA == ndiB)
        throw new IllegalArgumentException(
            "ndi: "
                + o.ndi().wavelengthA()
                + " nm and "
                + o.ndi().wavelengthB()
                + " nm both map to band "
                + (ndiA + 1)
                + ", the index would be 0 everywhere");
    } else {
      ndiA = ndiB = -1;
    }
    if (o.quicklook() != null) {
      ProductOptions.Quicklook q = o.quicklook();
      ql =
          new int[] {
            band(q.red(), "quicklook"), band(q.green(), "quicklook"), band(q.blue(), "quicklook")
          };
      qf = (int) Math.max(1, (Math.max(samples, lines) + (long) q.maxSize() - 1) / q.maxSize());
      qw = (samples + qf - 1) / qf;
      qh = (lines + qf - 1) / qf;
      rowSum = new double[3][qw];
      rowCnt = new int[3][qw];
      raster = new float[3][qw * qh];
      rasterHigh = new int[3][Ranks.BUCKETS];
      rasterValid = new int[3];
    } else {
      ql = null;
      qf = qw = qh = 0;
      rowSum = null;
      rowCnt = null;
      raster = null;
      rasterHigh = null;
      rasterValid = null;
    }
    cnt = new long[bands];
    isum = new long[bands];
    sqHi = new long[bands];
    sqLo = new long[bands];
    fmean = new double[bands];
    fm2 = new double[bands];
    mn = new float[bands];
    mx = new float[bands];
    Arrays.fill(mn, Float.POSITIVE_INFINITY);
    Arrays.fill(mx, Float.NEGATIVE_INFINITY);
  }

  private int band(double nm, String product) {
    try {
      return h.nearestGoodBand(nm);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(product + ": " + e.getMessage());
    }
  }

  /** Streams the source and returns the products. */
  public CubeProcessor.Result run(CubeSource src) throws IOException {
    boolean spatial = ndiA >= 0 || ql != null;
    if (h.interleave() != Interleave.BSQ) {
      if (o.stats() || spatial) runPass(new FullProducer(src), o.stats(), spatial);
    } else {
      if (o.stats()) runPass(new BsqBandProducer(src), true, false);
      if (spatial) runPass(new BsqSlotProducer(src), false, true);
    }
    if (ndiOut != null && ndiA >= 0) ndiOut.flush();
    List<BandStats> stats = null;
    QuicklookResult quicklook = null;
    if (o.stats() && ql != null && o.threads() > 1) {
      // Both finishing steps are single-threaded and independent (exact BigDecimal moments
      // per band; percentiles, stretch and PNG): run them side by side.
      CompletableFuture<List<BandStats>> f = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  f.complete(statsResult());
                } catch (Throwable e) {
                  f.completeExceptionally(e);
                }
              },
              "hsi-stats");
      t.setDaemon(true);
      t.start();
      quicklook = quicklookResult();
      try {
        stats = f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while finishing the statistics", e);
      } catch (ExecutionException e) {
        throw rethrow(e.getCause());
      }
    } else {
      if (o.stats()) stats = statsResult();
      if (ql != null) quicklook = quicklookResult();
    }
    return new CubeProcessor.Result(stats, ndiA >= 0 ? ndiResult() : null, quicklook, bytesRead);
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

  // ---------------------------------------------------------------- blocks & producers

  /** Lines [firstLine, firstLine + lineCount) of some bands, in one of three layouts. */
  record Block(int firstLine, int lineCount, byte[] data, int layout, int[] slotOfBand) {
    static final int BIL = 0, BIP = 1, SLOTS = 2;

    boolean has(int band) {
      return layout != SLOTS || slotOfBand[band] >= 0;
    }
  }

  private interface Producer extends Closeable {
    int maxBytes();

    Block next(byte[] buf) throws IOException;
  }

  private int blockLines(long bytesPerLine) {
    return (int) Math.max(1, Math.min(lines, o.blockBytes() / bytesPerLine));
  }

  private void readFully(InputStream in, byte[] buf, int off, int len, long objectOffset)
      throws IOException {
    int done = 0;
    while (done < len) {
      int r = in.read(buf, off + done, len - done);
      if (r < 0)
        throw new TruncatedDataException(
            "the data object", h.expectedObjectSize(), objectOffset + done);
      done += r;
    }
    bytesRead += len; // only touched by the reading thread, read after it finished
  }

  /** BIL/BIP: one sequential stream, blocks of whole lines with all bands. */
  private final class FullProducer implements Producer {
    private final InputStream in;
    private final int perBlock = blockLines(h.lineBytes());
    private int line;

    FullProducer(CubeSource src) throws IOException {
      in = src.open(h.headerOffset(), h.dataBytes());
    }

    public int maxBytes() {
      return (int) (perBlock * h.lineBytes());
    }

    public Block next(byte[] buf) throws IOException {
      if (line >= lines) return null;
      int n = Math.min(perBlock, lines - line);
      readFully(in, buf, 0, (int) (n * h.lineBytes()), h.headerOffset() + line * h.lineBytes());
      Block b =
          new Block(line, n, buf, h.interleave() == Interleave.BIL ? Block.BIL : Block.BIP, null);
      line += n;
      return b;
    }

    public void close() throws IOException {
      in.close();
    }
  }

  /** BSQ statistics: one sequential stream, blocks are line ranges of a single band. */
  private final class BsqBandProducer implements Producer {
    private final InputStream in;
    private final int perBlock = blockLines(h.bandLineBytes());
    private int band, line;

    BsqBandProducer(CubeSource src) throws IOException {
      in = src.open(h.headerOffset(), h.dataBytes());
    }

    public int maxBytes() {
      return (int) (perBlock * h.bandLineBytes());
    }

    public Block next(byte[] buf) throws IOException {
      if (band >= bands) return null;
      int n = Math.min(perBlock, lines - line);
      readFully(
          in,
          buf,
          0,
          (int) (n * h.bandLineBytes()),
          h.headerOffset() + band * h.bandBytes() + line * h.bandLineBytes());
      int[] slots = new int[bands];
      Arrays.fill(slots, -1);
      slots[band] = 0;
      Block b = new Block(line, n, buf, Block.SLOTS, slots);
      line += n;
      if (line >= lines) {
        line = 0;
        band++;
      }
      return b;
    }

    public void close() throws IOException {
      in.close();
    }
  }

  /** BSQ spatial products: one ranged stream per needed band, read in lockstep. */
  private final class BsqSlotProducer implements Producer {
    private final int[] wanted;
    private final int[] slots = new int[bands];
    private final InputStream[] in;
    private final int perBlock;
    private int line;

    BsqSlotProducer(CubeSource src) throws IOException {
      LinkedHashSet<Integer> set = new LinkedHashSet<>();
      if (ndiA >= 0) {
        set.add(ndiA);
        set.add(ndiB);
      }
      if (ql != null) for (int b : ql) set.add(b);
      wanted = set.stream().mapToInt(Integer::intValue).toArray();
      Arrays.fill(slots, -1);
      for (int s = 0; s < wanted.length; s++) slots[wanted[s]] = s;
      perBlock = blockLines(h.bandLineBytes() * wanted.length);
      in = new InputStream[wanted.length];
      try {
        for (int s = 0; s < wanted.length; s++) {
          in[s] = src.open(h.headerOffset() + wanted[s] * h.bandBytes(), h.bandBytes());
        }
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }

    public int maxBytes() {
      return (int) (perBlock * h.bandLineBytes() * wanted.length);
    }

    public Block next(byte[] buf) throws IOException {
      if (line >= lines) return null;
      int n = Math.min(perBlock, lines - line);
      int len = (int) (n * h.bandLineBytes());
      for (int s = 0; s < wanted.length; s++) {
        readFully(
            in[s],
            buf,
            s * len,
            len,
            h.headerOffset() + wanted[s] * h.bandBytes() + line * h.bandLineBytes());
      }
      Block b = new Block(line, n, buf, Block.SLOTS, slots);
      line += n;
      return b;
    }

    public void close() throws IOException {
      IOException first = null;
      for (InputStream s : in) {
        if (s == null) continue;
        try {
          s.close();
        } catch (IOException e) {
          if (first == null) first = e;
        }
      }
      if (first != null) throw first;
    }
  }

  // ---------------------------------------------------------------- running a pass

  private void runPass(Producer p, boolean doStats, boolean doSpatial) throws IOException {
    try (p) {
      if (o.threads() <= 1) {
        byte[] buf = new byte[p.maxBytes()];
        Block b;
        while ((b = p.next(buf)) != null) fold(compute(b, doStats, doSpatial));
      } else {
        runParallel(p, doStats, doSpatial);
      }
    }
  }

  private void runParallel(Producer p, boolean doStats, boolean doSpatial) throws IOException {
    int threads = o.threads();
    AtomicInteger ids = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "hsi-worker-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // Bounded memory: at most 2 × threads blocks exist; the ordered queue preserves line order.
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(2 * threads);
    for (int i = 0; i < 2 * threads; i++) free.add(new byte[p.maxBytes()]);
    BlockingQueue<Object> ordered = new ArrayBlockingQueue<>(2 * threads + 1);
    Thread reader =
        new Thread(
            () -> {
              try {
                while (true) {
                  byte[] buf = free.take();
                  Block b = p.next(buf);
                  if (b == null) {
                    ordered.put(END);
                    return;
                  }
                  ordered.put(
                      pool.submit(
                          () -> {
                            try {
                              return compute(b, doStats, doSpatial);
                            } finally {
                              free.add(buf);
                            }
                          }));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Throwable t) {
                ordered.offer(t);
              }
            },
            "hsi-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      while (true) {
        Object item = ordered.take();
        if (item == END) break;
        if (item instanceof Throwable t) throw rethrow(t);
        @SuppressWarnings("unchecked")
        Future<Part> f = (Future<Part>) item;
        try {
          fold(f.get());
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        }
      }
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while processing the cube", e);
    } finally {
      reader.interrupt();
      pool.shutdownNow();
    }
  }

  private static IOException rethrow(Throwable t) {
    if (t instanceof IOException io) return io;
    if (t instanceof UncheckedIOException u) return u.getCause();
    if (t instanceof RuntimeException r) throw r;
    if (t instanceof Error e) throw e;
    return new IOException(t);
  }

  // ---------------------------------------------------------------- per-block work (worker
  // threads)

  /** Partial results of one block; arrays indexed [lineInBlock * statBands.length + k]. */
  static final class Part {
    int firstLine, lineCount;
    int[] statBands;
    long[] n, isum, isq;
    double[] fmean, fm2;
    float[] mn, mx;
    byte[] ndi;
    long[] ndiN;
    double[] ndiSum;
    float[] ndiMin, ndiMax;
    double[] qlSum; // [(li * 3 + c) * qw + x]
    int[] qlCnt;
  }

  private void locate(Block b, int band, int li, int[] offStride) {
    int lineBytes = samples * bps;
    switch (b.layout()) {
      case Block.BIL -> {
        offStride[0] = (li * bands + band) * lineBytes;
        offStride[1] = bps;
      }
      case Block.BIP -> {
        offStride[0] = (li * samples * bands + band) * bps;
        offStride[1] = bands * bps;
      }
      default -> {
        offStride[0] = (b.slotOfBand()[band] * b.lineCount() + li) * lineBytes;
        offStride[1] = bps;
      }
    }
  }

  /**
   * Per-block scratch arrays of one worker call (one band of one line at a time) and the block's
   * views.
   */
  private final class Scratch {
    final Decode.Views views;
    final int[] offStride = new int[2];
    final short[] raw = new short[samples];
    final float[] va = new float[samples], vb = new float[samples], out = new float[samples];
    final long[] iacc = new long[5];
    final double[] dacc = new double[5];

    Scratch(Block b) {
      views = new Decode.Views(b.data(), big);
    }
  }

  private void decode(Block b, int band, int li, float[] dst, Scratch s) {
    locate(b, band, li, s.offStride);
    Decode.floats(
        type, big, b.data(), s.views, s.offStride[0], s.offStride[1], samples, dst, s.raw);
  }

  Part compute(Block b, boolean doStats, boolean doSpatial) {
    Part p = new Part();
    p.firstLine = b.firstLine();
    p.lineCount = b.lineCount();
    Scratch s = new Scratch(b);
    if (doStats) computeStats(b, p, s);
    if (doSpatial && ndiA >= 0) computeNdi(b, p, s);
    if (doSpatial && ql != null) computeQuicklook(b, p, s);
    return p;
  }

  private void computeStats(Block b, Part p, Scratch s) {
    int nb = 0;
    int[] sb = new int[bands];
    for (int x = 0; x < bands; x++) if (good[x] && b.has(x)) sb[nb++] = x;
    sb = Arrays.copyOf(sb, nb);
    int size = nb * b.lineCount();
    p.statBands = sb;
    p.n = new long[size];
    p.mn = new float[size];
    p.mx = new float[size];
    if (intPath) {
      p.isum = new long[size];
      p.isq = new long[size];
    } else {
      p.fmean = new double[size];
      p.fm2 = new double[size];
    }
    // This method runs once per block, too rarely to be compiled soon: keep its own loop short
    // (one call per band) and the per-line loop in statsBand, which is called often.
    for (int k = 0; k < nb; k++) statsBand(b, sb[k], k, nb, p, s);
  }

  private void statsBand(Block b, int band, int k, int nb, Part p, Scratch s) {
    for (int li = 0; li < b.lineCount(); li++) statsLine(b, band, li, li * nb + k, p, s);
  }

  /**
   * One band of one line into partial {@code idx}: a small method, compiled early (see {@link
   * Kernels}).
   */
  private void statsLine(Block b, int band, int li, int idx, Part p, Scratch s) {
    if (intPath) {
      long[] acc = s.iacc;
      boolean unsigned = type == DataType.UINT16;
      locate(b, band, li, s.offStride);
      Decode.rawShorts(
          type, big, b.data(), s.views, s.offStride[0], s.offStride[1], samples, s.raw);
      // One pass over every sample: sums include the ignore value, which is then taken back
      // out exactly (integer sums make the order irrelevant); min/max skip it.
      int ignored = 0;
      if (ignoreInType) {
        Kernels.intStatsIgnoring(s.raw, samples, ignoreRaw, unsigned, acc);
        ignored = (int) acc[4];
      } else if (unsigned) {
        Kernels.intStatsUnsigned(s.raw, samples, acc);
      } else {
        Kernels.intStatsSigned(s.raw, samples, acc);
      }
      long sum = acc[0], sq = acc[1];
      if (ignored > 0) {
        sum -= (long) ignored * ignoreInt;
        sq -= (long) ignored * ignoreInt * ignoreInt;
      }
      int ni = samples - ignored;
      p.n[idx] = ni;
      p.mn[idx] = ni > 0 ? (float) acc[2] : Float.POSITIVE_INFINITY;
      p.mx[idx] = ni > 0 ? (float) acc[3] : Float.NEGATIVE_INFINITY;
      p.isum[idx] = sum;
      p.isq[idx] = sq;
    } else {
      decode(b, band, li, s.va, s);
      double[] d = s.dacc;
      Kernels.floatStats(s.va, samples, ignoreMatches, ignoreF, d);
      p.n[idx] = (long) d[0];
      p.fmean[idx] = d[1];
      p.fm2[idx] = d[2];
      p.mn[idx] = (float) d[3];
      p.mx[idx] = (float) d[4];
    }
  }

  private void computeNdi(Block b, Part p, Scratch s) {
    int lc = b.lineCount();
    p.ndi = new byte[lc * samples * 4];
    p.ndiN = new long[lc];
    p.ndiSum = new double[lc];
    p.ndiMin = new float[lc];
    p.ndiMax = new float[lc];
    double[] d = s.dacc;
    java.nio.FloatBuffer out = Decode.floatsLE(p.ndi);
    for (int li = 0; li < lc; li++) {
      decode(b, ndiA, li, s.va, s);
      decode(b, ndiB, li, s.vb, s);
      Kernels.ndi(s.va, s.vb, samples, ignoreMatches, ignoreF, s.out, d);
      out.put(li * samples, s.out, 0, samples);
      p.ndiN[li] = (long) d[0];
      p.ndiSum[li] = d[1];
      p.ndiMin[li] = (float) d[2];
      p.ndiMax[li] = (float) d[3];
    }
  }

  private void computeQuicklook(Block b, Part p, Scratch s) {
    int lc = b.lineCount();
    p.qlSum = new double[lc * 3 * qw];
    p.qlCnt = new int[lc * 3 * qw];
    for (int li = 0; li < lc; li++) {
      for (int c = 0; c < 3; c++) {
        decode(b, ql[c], li, s.va, s);
        Kernels.boxSum(
            s.va, samples, qf, ignoreMatches, ignoreF, p.qlSum, p.qlCnt, (li * 3 + c) * qw);
      }
    }
  }

  // ---------------------------------------------------------------- folding (calling thread, line
  // order)

  // Split by product: each fold loop is a small compilation unit of its own (C2 compile time
  // grows faster than linearly with method size, and a fresh job JVM pays it while streaming).
  private void fold(Part p) throws IOException {
    if (p.statBands != null) foldStats(p);
    if (p.ndi != null) foldNdi(p);
    if (p.qlSum != null) foldQuicklook(p);
  }

  private void foldStats(Part p) {
    // Band by band, lines in order within each band: every band's accumulators see the same
    // sequence as a line-major loop (bands are independent), and the per-band method is called
    // often enough to be compiled early, unlike this once-per-block one.
    for (int k = 0; k < p.statBands.length; k++) foldBand(p, k);
  }

  private void foldBand(Part p, int k) {
    int nb = p.statBands.length;
    int band = p.statBands[k];
    for (int li = 0; li < p.lineCount; li++) {
      int idx = li * nb + k;
      long n = p.n[idx];
      if (n == 0) continue;
      if (p.mn[idx] < mn[band]) mn[band] = p.mn[idx];
      if (p.mx[idx] > mx[band]) mx[band] = p.mx[idx];
      if (intPath) {
        isum[band] += p.isum[idx];
        long lo = sqLo[band] + p.isq[idx];
        if (Long.compareUnsigned(lo, sqLo[band]) < 0) sqHi[band]++;
        sqLo[band] = lo;
        cnt[band] += n;
      } else if (cnt[band] == 0) {
        cnt[band] = n;
        fmean[band] = p.fmean[idx];
        fm2[band] = p.fm2[idx];
      } else {
        // Chan et al. pairwise combination of (count, mean, M2).
        long total = cnt[band] + n;
        double delta = p.fmean[idx] - fmean[band];
        fmean[band] += delta * ((double) n / total);
        fm2[band] += p.fm2[idx] + delta * delta * ((double) cnt[band] * n / total);
        cnt[band] = total;
      }
    }
  }

  private void foldNdi(Part p) throws IOException {
    ndiOut.write(p.ndi);
    for (int li = 0; li < p.lineCount; li++) {
      if (p.ndiN[li] == 0) continue;
      ndiN += p.ndiN[li];
      ndiSum += p.ndiSum[li];
      ndiMin = Math.min(ndiMin, p.ndiMin[li]);
      ndiMax = Math.max(ndiMax, p.ndiMax[li]);
    }
  }

  private void foldQuicklook(Part p) {
    for (int li = 0; li < p.lineCount; li++) {
      int row = (p.firstLine + li) / qf;
      if (row != curRow) {
        flushRow();
        curRow = row;
      }
      for (int c = 0; c < 3; c++)
        Kernels.addRow(p.qlSum, p.qlCnt, (li * 3 + c) * qw, qw, rowSum[c], rowCnt[c]);
    }
  }

  private void flushRow() {
    if (curRow < 0) return;
    for (int c = 0; c < 3; c++) {
      Kernels.rowMeans(rowSum[c], rowCnt[c], qw, raster[c], curRow * qw);
      // First pass of the percentile selection, while the cube is still streaming.
      rasterValid[c] += Ranks.addHigh(raster[c], curRow * qw, qw, rasterHigh[c]);
    }
  }

  // ---------------------------------------------------------------- results

  private List<BandStats> statsResult() {
    List<BandStats> out = new ArrayList<>(bands);
    for (int b = 0; b < bands; b++) {
      double wl = h.wavelengthNm(b);
      long n = cnt[b];
      if (!good[b] || n == 0) {
        out.add(new BandStats(b, wl, good[b], 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        continue;
      }
      double mean, std;
      if (intPath) {
        // Exact integer sums → mean and variance correctly rounded to float64.
        BigInteger s = BigInteger.valueOf(isum[b]);
        BigInteger q =
            BigInteger.valueOf(sqHi[b])
                .shiftLeft(64)
                .add(new BigInteger(Long.toUnsignedString(sqLo[b])));
        BigInteger nn = BigInteger.valueOf(n);
        mean = new BigDecimal(s).divide(new BigDecimal(nn), MC).doubleValue();
        BigInteger num = nn.multiply(q).subtract(s.multiply(s));
        BigDecimal var = new BigDecimal(num).divide(new BigDecimal(nn.multiply(nn)), MC);
        std = var.sqrt(MC).doubleValue();
      } else {
        mean = fmean[b];
        std = Math.sqrt(fm2[b] / n);
      }
      out.add(new BandStats(b, wl, true, n, mn[b], mx[b], mean, std));
    }
    return out;
  }

  private NdiResult ndiResult() {
    return new NdiResult(
        ndiA,
        ndiB,
        h.wavelengthNm(ndiA),
        h.wavelengthNm(ndiB),
        ndiN,
        ndiN == 0 ? Double.NaN : ndiMin,
        ndiN == 0 ? Double.NaN : ndiMax,
        ndiN == 0 ? Double.NaN : ndiSum / ndiN);
  }

  private QuicklookResult quicklookResult() throws IOException {
    flushRow();
    ProductOptions.Quicklook q = o.quicklook();
    double[] low = new double[3], high = new double[3];
    for (int c = 0; c < 3; c++) {
      double[] pct =
          Ranks.percentiles(
              raster[c],
              qw * qh,
              qw,
              rasterHigh[c],
              rasterValid[c],
              q.lowPercentile(),
              q.highPercentile());
      low[c] = pct[0];
      high[c] = pct[1];
    }
    BufferedImage img = new BufferedImage(qw, qh, BufferedImage.TYPE_INT_ARGB);
    // TYPE_INT_ARGB stores non-premultiplied ARGB ints as is: write them straight into its
    // buffer (what setRGB does per pixel through the colour model, at a fraction of the cost).
    int[] pixels = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < qh; y++)
      Kernels.stretchRow(raster[0], raster[1], raster[2], y * qw, qw, low, high, pixels);
    return new QuicklookResult(qw, qh, qf, ql.clone(), low, high, Png.encode(img));
  }
}
