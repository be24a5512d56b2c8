package dev.hsipipeline.hsi.cog;

import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.cog.internal.Encoder;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes one Cloud-Optimized GeoTIFF from lines pushed in order, with memory independent of the
 * number of lines. Tiles are compressed on {@link CogOptions#threads()} worker threads; the calling
 * thread passes finished tiles to the sink.
 *
 * <pre>{@code
 * try (CogWriter w = CogWriter.open(raster, CogOptions.defaults(), CogSinks.file(out),
 *     Interleave.BIL, ByteOrder.LITTLE_ENDIAN)) {
 *   w.write(lines, 0, n);   // any number of times, until raster.height() lines
 *   CogResult r = w.finish();
 * }   // close() without finish() aborts the sink: nothing that looks finished remains
 * }</pre>
 */
public final class CogWriter implements AutoCloseable {
  private final Encoder encoder;

  private CogWriter(Encoder encoder) {
    this.encoder = encoder;
  }

  /**
   * Starts a COG.
   *
   * @param layout how pushed lines are laid out: {@code BIL} (per line, band after band), {@code
   *     BIP} (per line, pixel after pixel) or {@code BSQ} (each {@link #write} call holds its lines
   *     band after band)
   * @param order byte order of the pushed samples
   */
  public static CogWriter open(
      CogRaster raster, CogOptions options, CogSink sink, Interleave layout, ByteOrder order)
      throws IOException {
    return new CogWriter(new Encoder(raster, options, sink, layout, order, tempDir()));
  }

  static Path tempDir() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** Bytes of the line buffers a writer of this raster holds (most of its memory). */
  public static long bufferBytes(CogRaster raster, CogOptions options) {
    return Encoder.stripBytes(raster, options);
  }

  /**
   * Adds the next {@code lines} lines from {@code data} starting at {@code offset}, laid out as
   * given to {@link #open}.
   */
  public void write(byte[] data, int offset, int lines) throws IOException {
    encoder.write(data, offset, lines);
  }

  /** Writes what remains and completes the sink; every line must have been written. */
  public CogResult finish() throws IOException {
    return encoder.finish();
  }

  /** Aborts the COG unless it was finished. */
  @Override
  public void close() {
    encoder.close();
  }
}
