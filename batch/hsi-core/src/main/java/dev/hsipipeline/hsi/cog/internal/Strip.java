package dev.hsipipeline.hsi.cog.internal;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.Interleave;

/**
 * One tile row of the raster — up to {@code capacity} lines of every band — kept in the layout it
 * arrived in (BIL, BIP, or band-sequential within the strip) and its byte order, so filling it is a
 * plain copy; tiles are gathered from it on the compression threads.
 */
final class Strip {
  final int width, bands, bps, capacity;
  final Interleave layout;
  final boolean bigEndian;
  final DataType type;
  final byte[] data;
  int firstLine;
  int lines;

  Strip(int width, int bands, DataType type, int capacity, Interleave layout, boolean bigEndian) {
    this.width = width;
    this.bands = bands;
    this.type = type;
    this.bps = type.bytes();
    this.capacity = capacity;
    this.layout = layout;
    this.bigEndian = bigEndian;
    long size = (long) width * bands * bps * capacity;
    if (size > Integer.MAX_VALUE - 16)
      throw new IllegalArgumentException(
          "one tile row of "
              + width
              + " pixels × "
              + bands
              + " bands × "
              + capacity
              + " lines is "
              + size
              + " bytes, more than a Java array holds; use a smaller tile size");
    data = new byte[(int) size];
  }

  /** Bytes of one strip buffer for this geometry. */
  static long bytes(int width, int bands, DataType type, int capacity) {
    return (long) width * bands * type.bytes() * capacity;
  }

  void reset(int firstLine) {
    this.firstLine = firstLine;
    this.lines = 0;
  }

  /** Byte offset of sample (row, band, x); row is relative to the strip. */
  int offset(int row, int band, int x) {
    return switch (layout) {
      case BIL -> ((row * bands + band) * width + x) * bps;
      case BIP -> ((row * width + x) * bands + band) * bps;
      case BSQ -> ((band * capacity + row) * width + x) * bps;
    };
  }

  /** Distance in samples between (x) and (x + 1) of one band. */
  int sampleStride() {
    return layout == Interleave.BIP ? bands : 1;
  }

  /** Distance in samples between band b and b + 1 of one pixel. */
  int bandStride() {
    return switch (layout) {
      case BIL -> width;
      case BIP -> 1;
      case BSQ -> capacity * width;
    };
  }

  /**
   * Copies {@code n} lines from {@code src} (laid out like this strip for BIL/BIP; for BSQ, band
   * sequential blocks of {@code blockLines} lines starting at {@code blockLine}) into rows starting
   * at {@link #lines}.
   */
  void put(byte[] src, int srcOff, int n, int blockLines, int blockLine) {
    int lineBytes = width * bands * bps;
    if (layout != Interleave.BSQ) {
      System.arraycopy(src, srcOff + blockLine * lineBytes, data, lines * lineBytes, n * lineBytes);
    } else {
      int bandLine = width * bps;
      for (int b = 0; b < bands; b++) {
        System.arraycopy(
            src,
            srcOff + (b * blockLines + blockLine) * bandLine,
            data,
            offset(lines, b, 0),
            n * bandLine);
      }
    }
    lines += n;
  }

  /** Decodes {@code n} samples of one band from (row, x) into floats. */
  void decode(int row, int band, int x, int n, float[] dst) {
    Samples.decode(type, bigEndian, data, offset(row, band, x), sampleStride(), n, dst);
  }
}
