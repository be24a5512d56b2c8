package dev.hsipipeline.hsi.cog.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One TIFF image file directory: tags with their values, serialised little endian as classic TIFF
 * or BigTIFF. Values that do not fit in the entry follow the directory, each on a word boundary.
 */
final class Ifd {
  static final int ASCII = 2, SHORT = 3, LONG = 4, DOUBLE = 12, LONG8 = 16;

  private record Entry(int tag, int type, long[] ints, double[] doubles, byte[] ascii) {
    int count() {
      return ascii != null ? ascii.length : ints != null ? ints.length : doubles.length;
    }

    int unitBytes() {
      return switch (type) {
        case ASCII -> 1;
        case SHORT -> 2;
        case LONG -> 4;
        default -> 8;
      };
    }

    long valueBytes() {
      return (long) count() * unitBytes();
    }
  }

  private final TreeMap<Integer, Entry> entries =
      new TreeMap<>(); // sorted by tag, as TIFF requires

  /** Integer values of type SHORT, LONG or LONG8 (replacing an earlier value of the tag). */
  Ifd ints(int tag, int type, long... values) {
    entries.put(tag, new Entry(tag, type, values, null, null));
    return this;
  }

  /** A SHORT value, or LONG when it does not fit 16 bits (ImageWidth, ImageLength). */
  Ifd shortOrLong(int tag, long value) {
    return ints(tag, value <= 0xFFFF ? SHORT : LONG, value);
  }

  Ifd doubles(int tag, double... values) {
    entries.put(tag, new Entry(tag, DOUBLE, null, values, null));
    return this;
  }

  /** A NUL-terminated ASCII value. */
  Ifd ascii(int tag, String value) {
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    byte[] z = new byte[text.length + 1];
    System.arraycopy(text, 0, z, 0, text.length);
    entries.put(tag, new Entry(tag, ASCII, null, null, z));
    return this;
  }

  private List<Entry> sorted() {
    return new ArrayList<>(entries.values());
  }

  /** Bytes of the directory plus its out-of-line values (each padded to an even length). */
  long size(boolean big) {
    long n = entries.size();
    long size = big ? 8 + 20 * n + 8 : 2 + 12 * n + 4;
    int inline = big ? 8 : 4;
    for (Entry e : entries.values()) {
      if (e.valueBytes() > inline) size += even(e.valueBytes());
    }
    return size;
  }

  /**
   * Writes the directory at {@code at} (its file offset, even) into {@code out}, whose position is
   * that offset's place in the buffer; {@code next} is the offset of the next directory or 0.
   */
  void write(ByteBuffer out, long at, long next, boolean big) {
    List<Entry> list = sorted();
    int inline = big ? 8 : 4;
    long n = list.size();
    long valuesAt = at + (big ? 8 + 20 * n + 8 : 2 + 12 * n + 4);
    int start = out.position();
    if (big) out.putLong(n);
    else out.putShort((short) n);
    List<Entry> outOfLine = new ArrayList<>();
    for (Entry e : list) {
      out.putShort((short) e.tag());
      out.putShort((short) e.type());
      if (big) out.putLong(e.count());
      else out.putInt(e.count());
      if (e.valueBytes() <= inline) {
        int p = out.position();
        putValues(out, e);
        for (int i = out.position() - p; i < inline; i++) out.put((byte) 0);
      } else {
        if (big) out.putLong(valuesAt);
        else out.putInt((int) valuesAt);
        valuesAt += even(e.valueBytes());
        outOfLine.add(e);
      }
    }
    if (big) out.putLong(next);
    else out.putInt((int) next);
    for (Entry e : outOfLine) {
      putValues(out, e);
      if ((e.valueBytes() & 1) != 0) out.put((byte) 0);
    }
    if (out.position() - start != size(big))
      throw new IllegalStateException("IFD size mismatch"); // a bug, never bad input
  }

  private static void putValues(ByteBuffer out, Entry e) {
    switch (e.type()) {
      case ASCII -> out.put(e.ascii());
      case SHORT -> {
        for (long v : e.ints()) out.putShort((short) v);
      }
      case LONG -> {
        for (long v : e.ints()) out.putInt((int) v);
      }
      case LONG8 -> {
        for (long v : e.ints()) out.putLong(v);
      }
      case DOUBLE -> {
        for (double v : e.doubles()) out.putDouble(v);
      }
      default -> throw new IllegalStateException("type " + e.type());
    }
  }

  private static long even(long n) {
    return n + (n & 1);
  }
}
