package dev.hsipipeline.hsi.cog.internal;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.cog.CogOptions;
import dev.hsipipeline.hsi.cog.CogRaster;
import dev.hsipipeline.hsi.cog.CogResult;
import dev.hsipipeline.hsi.cog.CogSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Streams a raster into a COG with bounded memory. Lines arrive in order and fill a strip (one tile
 * row); a full strip's tiles are compressed on the worker threads (large tiles in pieces) while the
 * next strip fills, and its rows go to the {@link Overviews} on an ordered "lane" of tasks. The
 * caller's thread writes finished tiles to the sink's body in file order, as soon as they are done
 * (between batches of lines it fills), so compressed tiles do not pile up. Memory: two strips, one
 * strip-sized set of overview strips and the few compressed tiles in flight — independent of the
 * number of lines. See docs/adr/0107 and 0113.
 */
public final class Encoder implements AutoCloseable {
  private static final int STRIPS = 2;

  /**
   * Lines filled at a time between writing finished tiles (BIL/BIP): small enough that compressed
   * tiles go out while the next strip fills, large enough for efficient reads (ADR 0113).
   */
  private static final int BATCH_LINES = 32;

  /** How often finished tiles are written while the encoder waits for an overview strip. */
  private static final long DRAIN_MILLIS = 20;

  private final CogRaster raster;
  private final CogOptions options;
  private final CogSink sink;
  private final int tileSize, width, height, bands, planes;
  private final TileCodec codec;
  private final TileWriter tileWriter;
  private final List<Level> levels = new ArrayList<>();
  private final Overviews overviews;
  private final Head.Spec spec;
  private final ExecutorService pool;
  private final ConcurrentLinkedQueue<TileCodec.Scratch> scratches = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<TileCodec.Scratch> scratch;
  private final ArrayDeque<Strip> free = new ArrayDeque<>();
  private final ArrayDeque<StripJob> pending = new ArrayDeque<>();
  private final byte[] fillRow;
  private CompletableFuture<Void> lane = CompletableFuture.completedFuture(null);
  private Strip current;
  private int linesIn;
  private long bodyBytes;
  private boolean done, aborted;

  /**
   * A tile being compressed: the workers put its pieces into {@code pieces} and the futures only
   * signal completion. The slots are cleared once written — a job queued long enough to be promoted
   * to the old generation would otherwise keep every young compressed tile it points to alive
   * through young collections, until the next full marking (ADR 0113).
   */
  private record TileJob(int index, TileCodec.Piece[] pieces, List<Future<?>> done) {}

  /** A submitted strip; {@code tiles} shrinks as its tiles are written. */
  private record StripJob(
      Strip strip, ArrayDeque<TileJob> tiles, CompletableFuture<Void> overviews) {}

  /**
   * Starts a COG; lines then arrive through {@link #write} in {@code layout} and {@code order}.
   *
   * @param tempDir where overview tiles beyond a few MiB are spooled
   */
  public Encoder(
      CogRaster raster,
      CogOptions options,
      CogSink sink,
      Interleave layout,
      ByteOrder order,
      Path tempDir)
      throws IOException {
    this.raster = raster;
    this.options = options;
    this.sink = sink;
    this.tileSize = options.tileSize();
    this.width = raster.width();
    this.height = raster.height();
    this.bands = raster.bandCount();
    DataType type = raster.dataType();
    boolean pixel = options.interleave() == CogOptions.Interleave.PIXEL || bands == 1;
    this.planes = pixel ? 1 : bands;
    int spp = pixel ? bands : 1;
    int predictor = Predictors.of(options.predictor(), type);
    this.codec = new TileCodec(tileSize, spp, type.bytes(), predictor);
    this.tileWriter = new TileWriter(options.level());
    this.fillRow = Tiles.fillRow(type, tileSize * spp, raster.nodata());
    this.spec = new Head.Spec(raster, tileSize, spp, pixel ? 1 : 2, predictor, options.level());
    levels.add(new Level(width, height, tileSize, planes));
    if (options.overviews()) {
      for (int[] s : Overviews.sizes(width, height, tileSize))
        levels.add(new Level(s[0], s[1], tileSize, planes));
    }
    this.pool =
        Executors.newFixedThreadPool(
            options.threads(), Thread.ofPlatform().name("cog-worker-", 1).daemon().factory());
    this.scratch =
        ThreadLocal.withInitial(
            () -> {
              TileCodec.Scratch s = new TileCodec.Scratch(options.level());
              scratches.add(s);
              return s;
            });
    try {
      for (int i = 0; i < STRIPS; i++)
        free.add(
            new Strip(
                width,
                bands,
                type,
                Math.min(tileSize, height), // a raster shorter than a tile needs no more
                layout,
                order == ByteOrder.BIG_ENDIAN));
      this.overviews =
          levels.size() > 1
              ? new Overviews(
                  levels,
                  tileSize,
                  bands,
                  planes,
                  type,
                  raster.nodata(),
                  codec,
                  tileWriter,
                  fillRow,
                  tempDir,
                  scratch::get)
              : null;
      sink.begin(maxHeadBytes(), maxTileBytes(levels.get(0)));
    } catch (IOException | RuntimeException | Error e) {
      abort();
      throw e;
    }
  }

  /** Bytes of the strip buffers this encoder holds (the dominant part of its memory). */
  public static long stripBytes(CogRaster raster, CogOptions options) {
    long one =
        Strip.bytes(raster.width(), raster.bandCount(), raster.dataType(), options.tileSize());
    return STRIPS * one + (options.overviews() ? one : 0);
  }

  private long maxTileBytes(Level l) {
    long raw = (long) tileSize * tileSize * bands * raster.dataType().bytes() / planes;
    long perTile = raw + (raw >> 10) + 64L * codec.pieces + 64;
    return perTile * l.tiles();
  }

  private long maxHeadBytes() {
    long head = 16 + Head.ghost(planes > 1).length() + 65_536 + 4096L * bands;
    for (Level l : levels) head += 16L * l.tiles() + 1024;
    for (int i = 1; i < levels.size(); i++) head += maxTileBytes(levels.get(i));
    return head;
  }

  /**
   * Accepts {@code lines} lines: for BIL/BIP {@code lines} whole lines in that order, for BSQ
   * {@code lines} lines of band 0, then of band 1, and so on.
   */
  public void write(byte[] data, int offset, int lines) throws IOException {
    checkOpen();
    if (lines > height - linesIn)
      throw new IllegalArgumentException(
          "the raster has " + height + " lines; " + (linesIn + lines) + " written");
    try {
      int doneLines = 0;
      while (doneLines < lines) {
        Strip s = strip();
        int n = Math.min(lines - doneLines, Math.min(s.capacity, height - s.firstLine) - s.lines);
        s.put(data, offset, n, lines, doneLines);
        doneLines += n;
        linesIn += n;
        if (s.firstLine + s.lines == Math.min(height, s.firstLine + s.capacity)) submit();
        writeFinished();
      }
    } catch (IOException | RuntimeException | Error e) {
      abort();
      throw e;
    }
  }

  /** Fills the next lines straight into the strip buffer (saves a copy for large sources). */
  interface Filler {
    /** Writes rows [s.lines, s.lines + n) of {@code s}, laid out as the strip is. */
    void fill(Strip s, int n) throws IOException;
  }

  /** Like {@link #write} but the caller fills the strip in place, at most one strip at a time. */
  void write(int lines, Filler filler) throws IOException {
    checkOpen();
    try {
      int doneLines = 0;
      while (doneLines < lines) {
        Strip s = strip();
        int n = Math.min(lines - doneLines, Math.min(s.capacity, height - s.firstLine) - s.lines);
        // BSQ fills whole strips: a batch there costs one read per band
        if (s.layout != Interleave.BSQ) n = Math.min(n, BATCH_LINES);
        filler.fill(s, n);
        s.lines += n;
        doneLines += n;
        linesIn += n;
        if (s.firstLine + s.lines == Math.min(height, s.firstLine + s.capacity)) submit();
        writeFinished();
      }
    } catch (IOException | RuntimeException | Error e) {
      abort();
      throw e;
    }
  }

  private Strip strip() throws IOException {
    if (current == null) {
      if (free.isEmpty()) complete(pending.poll());
      current = free.poll();
      current.reset(linesIn);
    }
    return current;
  }

  private void submit() {
    Strip s = current;
    current = null;
    int ty = s.firstLine / tileSize;
    Level full = levels.get(0);
    ArrayDeque<TileJob> tiles = new ArrayDeque<>(full.tilesX * planes);
    for (int tx = 0; tx < full.tilesX; tx++) {
      for (int plane = 0; plane < planes; plane++) {
        TileCodec.Rows rows = Tiles.of(s, tx, planes == 1 ? -1 : plane, tileSize, fillRow);
        TileCodec.Piece[] pieces = new TileCodec.Piece[codec.pieces];
        List<Future<?>> done = new ArrayList<>(codec.pieces);
        for (int p = 0; p < codec.pieces; p++) {
          int piece = p;
          // a Runnable: a Callable's future would keep the piece after it is written
          Runnable task = () -> pieces[piece] = codec.compress(rows, piece, scratch.get());
          done.add(pool.submit(task));
        }
        tiles.add(new TileJob(full.index(ty, tx, plane), pieces, done));
      }
    }
    CompletableFuture<Void> ov = CompletableFuture.completedFuture(null);
    if (overviews != null) ov = lane = lane.thenRunAsync(() -> overviews.accept(s), pool);
    pending.add(new StripJob(s, tiles, ov));
  }

  /** Writes a strip's remaining tiles to the body in order and frees its buffer. */
  private void complete(StripJob job) throws IOException {
    while (!job.tiles().isEmpty()) writeTile(job.tiles().poll());
    // An overview strip's tiles are compressed on one lane thread, which can take a while; the
    // other workers meanwhile finish the next strip's tiles, which must not pile up in memory.
    while (!job.overviews().isDone()) {
      writeFinished();
      try {
        job.overviews().get(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // write what finished meanwhile, then wait again
      } catch (ExecutionException e) {
        break; // await reports it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // await reports it
        break;
      }
    }
    await(job.overviews());
    free.add(job.strip());
  }

  /**
   * Writes the tiles whose compression has finished, in file order, without waiting, so their bytes
   * can be collected while the next strip fills instead of waiting for the strip's turn.
   */
  private void writeFinished() throws IOException {
    for (StripJob job : pending) {
      while (!job.tiles().isEmpty() && done(job.tiles().peek())) writeTile(job.tiles().poll());
      if (!job.tiles().isEmpty()) return;
    }
  }

  private static boolean done(TileJob t) {
    for (Future<?> f : t.done()) if (!f.isDone()) return false;
    return true;
  }

  private void writeTile(TileJob t) throws IOException {
    Level full = levels.get(0);
    for (Future<?> f : t.done()) await(f); // and its happens-before makes the pieces visible
    List<TileCodec.Piece> pieces = List.of(t.pieces());
    Arrays.fill(t.pieces(), null);
    full.offsets[t.index()] = bodyBytes + 4;
    full.counts[t.index()] = TileCodec.tileLength(pieces);
    bodyBytes += tileWriter.write(sink::writeBody, pieces);
  }

  /** Completes the file: the remaining tiles, the overviews, then the head. */
  public CogResult finish() throws IOException {
    checkOpen();
    if (linesIn != height)
      throw new IllegalStateException(
          "the raster has " + height + " lines but only " + linesIn + " were written");
    try {
      while (!pending.isEmpty()) complete(pending.poll());
      await(lane);
      if (overviews != null && !overviews.complete())
        throw new IllegalStateException("overview rows missing"); // a bug, never bad input
      for (int i = 1; i < levels.size(); i++) levels.get(i).spool.seal();
      Head head =
          Head.build(spec, levels, bodyBytes, options.bigTiff() == CogOptions.BigTiff.ALWAYS);
      sink.finish(head);
      done = true;
      List<CogResult.Size> ovr = new ArrayList<>();
      for (int i = 1; i < levels.size(); i++)
        ovr.add(new CogResult.Size(levels.get(i).width, levels.get(i).height));
      return new CogResult(
          head.size() + bodyBytes,
          head.bigTiff,
          width,
          height,
          bands,
          tileSize,
          planes == 1 ? CogOptions.Interleave.PIXEL : CogOptions.Interleave.BAND,
          ovr);
    } catch (IOException | RuntimeException | Error e) {
      abort();
      throw e;
    } finally {
      release();
    }
  }

  private <T> T await(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing the COG", e);
    } catch (ExecutionException e) {
      Throwable c =
          e.getCause() instanceof java.util.concurrent.CompletionException ce
              ? ce.getCause()
              : e.getCause();
      if (c instanceof UncheckedIOException u) throw u.getCause();
      if (c instanceof IOException io) throw io;
      if (c instanceof RuntimeException r) throw r;
      if (c instanceof Error err) throw err;
      throw new IOException(c);
    }
  }

  private void checkOpen() {
    if (done || aborted) throw new IllegalStateException("the COG writer is closed");
  }

  private void abort() {
    if (done || aborted) return;
    aborted = true;
    sink.abort();
    release();
  }

  private void release() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (TileCodec.Scratch s : scratches) s.close();
    scratches.clear();
    for (int i = 1; i < levels.size(); i++)
      if (levels.get(i).spool != null) levels.get(i).spool.close();
  }

  /** Abandons the COG unless {@link #finish} completed it. */
  @Override
  public void close() {
    abort();
  }
}
