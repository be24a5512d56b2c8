package dev.hsipipeline.local.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What the demo summary needs from a GeoTIFF's head (the first bytes of a COG hold every IFD): the
 * size and sample layout of each image and the CRS of the GeoKey directory. Reads classic TIFF and
 * BigTIFF, little-endian (the pipeline's COGs); anything else is a clear error.
 *
 * @param images full resolution first, then the overviews
 * @param crs {@code EPSG:n}, {@code user-defined (WKT)} or {@code none}
 */
record TiffHead(List<Image> images, String crs) {
  /** One IFD: width, height, samples per pixel, bits per sample and the sample format. */
  record Image(int width, int height, int samples, int bits, String format) {}

  private static final int WIDTH = 256,
      HEIGHT = 257,
      BITS = 258,
      SAMPLES = 277,
      SAMPLE_FORMAT = 339,
      GEO_KEYS = 34735;

  /**
   * Parses a head.
   *
   * @throws IllegalArgumentException when it is not a little-endian TIFF or an IFD lies beyond
   *     {@code head}
   */
  static TiffHead parse(byte[] head) {
    ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    if (head.length < 16 || head[0] != 'I' || head[1] != 'I')
      throw new IllegalArgumentException("not a little-endian TIFF");
    int magic = b.getShort(2);
    boolean big = magic == 43;
    if (!big && magic != 42) throw new IllegalArgumentException("not a TIFF (magic " + magic + ")");
    long next = big ? b.getLong(8) : Integer.toUnsignedLong(b.getInt(4));
    List<Image> images = new ArrayList<>();
    String crs = "none";
    while (next != 0) {
      if (next + 20 > head.length)
        throw new IllegalArgumentException("IFD at " + next + " lies beyond the first bytes read");
      int at = (int) next;
      long count = big ? b.getLong(at) : Short.toUnsignedInt(b.getShort(at));
      int entry = at + (big ? 8 : 2), size = big ? 20 : 12;
      int width = 0, height = 0, samples = 1, bits = 0, format = 1;
      for (int i = 0; i < count; i++, entry += size) {
        int tag = Short.toUnsignedInt(b.getShort(entry));
        switch (tag) {
          case WIDTH -> width = (int) first(b, entry, big);
          case HEIGHT -> height = (int) first(b, entry, big);
          case BITS -> bits = (int) first(b, entry, big);
          case SAMPLES -> samples = (int) first(b, entry, big);
          case SAMPLE_FORMAT -> format = (int) first(b, entry, big);
          case GEO_KEYS -> {
            if (images.isEmpty()) crs = geoKeys(b, entry, big);
          }
          default -> {}
        }
      }
      images.add(new Image(width, height, samples, bits, format(format, bits)));
      int nextAt = entry;
      next = big ? b.getLong(nextAt) : Integer.toUnsignedLong(b.getInt(nextAt));
    }
    return new TiffHead(images, crs);
  }

  /** The first value of a SHORT/LONG/LONG8 entry (inline for one value). */
  private static long first(ByteBuffer b, int entry, boolean big) {
    int type = b.getShort(entry + 2);
    int value = entry + (big ? 12 : 8);
    if (type == 3) {
      long n = big ? b.getLong(entry + 4) : b.getInt(entry + 4);
      int fits = big ? 4 : 2;
      int at = n <= fits ? value : (int) (big ? b.getLong(value) : b.getInt(value));
      return Short.toUnsignedInt(b.getShort(at));
    }
    if (type == 16) return b.getLong(value);
    return Integer.toUnsignedLong(b.getInt(value));
  }

  /** The EPSG code of the model's CRS key (projected 3072, geographic 2048), else user-defined. */
  private static String geoKeys(ByteBuffer b, int entry, boolean big) {
    long n = big ? b.getLong(entry + 4) : Integer.toUnsignedLong(b.getInt(entry + 4));
    int value = entry + (big ? 12 : 8);
    long offset = n * 2 <= (big ? 8 : 4) ? value : (big ? b.getLong(value) : b.getInt(value));
    int at = (int) offset;
    int keys = Short.toUnsignedInt(b.getShort(at + 6));
    int model = 0, projected = 0, geographic = 0;
    for (int k = 0; k < keys; k++) {
      int key = Short.toUnsignedInt(b.getShort(at + 8 + 8 * k));
      int location = Short.toUnsignedInt(b.getShort(at + 8 + 8 * k + 2));
      int v = Short.toUnsignedInt(b.getShort(at + 8 + 8 * k + 6));
      if (location != 0) continue;
      if (key == 1024) model = v;
      if (key == 3072) projected = v;
      if (key == 2048) geographic = v;
    }
    // GTModelTypeGeoKey: 1 projected, 2 geographic; 32767 marks a user-defined code.
    int code = model == 1 ? projected : model == 2 ? geographic : 0;
    return code != 0 && code != 32767 ? "EPSG:" + code : "user-defined (WKT)";
  }

  private static String format(int format, int bits) {
    return switch (format) {
      case 3 -> "float" + bits;
      case 2 -> "int" + bits;
      default -> "uint" + bits;
    };
  }
}
