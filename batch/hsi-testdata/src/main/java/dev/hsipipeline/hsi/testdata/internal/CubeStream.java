package dev.hsipipeline.hsi.testdata.internal;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Interleave;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The data object of a synthetic scene, generated row by row in file order (BSQ/BIL rows are one
 * band of one line, BIP rows one line): memory is one row, whatever the scene's size.
 */
public final class CubeStream extends InputStream {
  private static final byte[] OFFSET_FILL =
      "HSI-SYNTHETIC-HEADER-OFFSET ".getBytes(StandardCharsets.US_ASCII);

  private final EnviHeader header;
  private final Landscape landscape;
  private final ByteBuffer row;
  private final long rows;
  private long offsetLeft;
  private long nextRow;

  /** Streams the cube {@code header} describes, with the values of {@code landscape}. */
  public CubeStream(EnviHeader header, Landscape landscape) {
    this.header = header;
    this.landscape = landscape;
    boolean bip = header.interleave() == Interleave.BIP;
    int rowValues = bip ? header.samples() * header.bands() : header.samples();
    row = ByteBuffer.allocate(rowValues * header.bytesPerSample()).order(header.byteOrder());
    row.limit(0);
    rows = bip ? header.lines() : (long) header.lines() * header.bands();
    offsetLeft = header.headerOffset();
  }

  /**
   * The value a no-data pixel is encoded with, which the header declares as {@code data ignore
   * value}.
   */
  public static double noDataValue(DataType type) {
    return switch (type) {
      case UINT8 -> 0;
      case UINT16 -> 65535;
      case INT16, FLOAT32 -> -9999;
    };
  }

  /** How reflectance is scaled into the data type, for the header's description. */
  public static String scaleText(DataType type) {
    return switch (type) {
      case UINT8 -> "1 + 250 x";
      case INT16, UINT16 -> "10000 x";
      case FLOAT32 -> "1.0 x";
    };
  }

  private boolean fill() {
    if (nextRow >= rows) return false;
    row.clear();
    int y, b;
    switch (header.interleave()) {
      case BSQ -> {
        b = (int) (nextRow / header.lines());
        y = (int) (nextRow % header.lines());
      }
      case BIL -> {
        y = (int) (nextRow / header.bands());
        b = (int) (nextRow % header.bands());
      }
      default -> {
        y = (int) nextRow;
        b = -1;
      }
    }
    Landscape.Line line = landscape.line(y);
    if (b >= 0) {
      for (int x = 0; x < header.samples(); x++) encode(line, x, b);
    } else {
      for (int x = 0; x < header.samples(); x++)
        for (int bb = 0; bb < header.bands(); bb++) encode(line, x, bb);
    }
    row.flip();
    nextRow++;
    return true;
  }

  private void encode(Landscape.Line line, int x, int b) {
    boolean noData = landscape.isNoData(line.index(), x);
    double r = noData ? 0 : landscape.reflectance(line, x, b);
    switch (header.dataType()) {
      case UINT8 -> row.put((byte) (noData ? 0 : Math.min(255, 1 + Math.round(r * 250))));
      case INT16 -> row.putShort((short) (noData ? -9999 : Math.min(32767, Math.round(r * 10000))));
      case UINT16 ->
          row.putShort((short) (noData ? 65535 : Math.min(65534, Math.round(r * 10000))));
      case FLOAT32 -> row.putFloat(noData ? -9999f : (float) r);
    }
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] dst, int off, int len) {
    if (len == 0) return 0;
    if (offsetLeft > 0) {
      int n = (int) Math.min(len, offsetLeft);
      long pos = header.headerOffset() - offsetLeft;
      for (int i = 0; i < n; i++)
        dst[off + i] = OFFSET_FILL[(int) ((pos + i) % OFFSET_FILL.length)];
      offsetLeft -= n;
      return n;
    }
    if (!row.hasRemaining() && !fill()) return -1;
    int n = Math.min(len, row.remaining());
    row.get(dst, off, n);
    return n;
  }
}
