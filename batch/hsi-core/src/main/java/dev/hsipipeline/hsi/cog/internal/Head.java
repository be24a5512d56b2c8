package dev.hsipipeline.hsi.cog.internal;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.cog.CogRaster;
import dev.hsipipeline.hsi.cog.CogSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The head of a COG in GDAL's COG layout: TIFF header, GDAL's structural metadata ("ghost area"),
 * the IFD of the full resolution then those of the overviews (largest first), each followed by its
 * values, then the overview tiles, smallest overview first. The body (full-resolution tiles)
 * follows the head.
 */
final class Head implements CogSink.Head {
  private final byte[] prefix;
  private final List<Spool> spools; // smallest overview first
  private final long size;
  final boolean bigTiff;

  private Head(byte[] prefix, List<Spool> spools, boolean bigTiff) {
    this.prefix = prefix;
    this.spools = spools;
    this.bigTiff = bigTiff;
    long s = prefix.length;
    for (Spool sp : spools) s += sp.size();
    this.size = s;
  }

  /** GDAL's structural metadata; "INTERLEAVE=TILE" for band interleave (GDAL 3.11's name). */
  static String ghost(boolean tileInterleave) {
    String md =
        "LAYOUT=IFDS_BEFORE_DATA\n"
            + "BLOCK_ORDER=ROW_MAJOR\n"
            + "BLOCK_LEADER=SIZE_AS_UINT4\n"
            + "BLOCK_TRAILER=LAST_4_BYTES_REPEATED\n"
            + (tileInterleave ? "INTERLEAVE=TILE\n" : "")
            + "KNOWN_INCOMPATIBLE_EDITION=NO\n ";
    return String.format("GDAL_STRUCTURAL_METADATA_SIZE=%06d bytes\n", md.length()) + md;
  }

  /** What the IFDs describe besides the levels. */
  record Spec(CogRaster raster, int tileSize, int spp, int planar, int predictor, int level) {}

  /**
   * Lays out the head: classic TIFF when the whole file fits 32-bit offsets (unless {@code
   * forceBig}), BigTIFF otherwise; fills the tile offsets of every level.
   *
   * @param levels full resolution first, then overviews largest first
   * @param bodySize bytes of the body
   */
  static Head build(Spec spec, List<Level> levels, long bodySize, boolean forceBig) {
    boolean big = forceBig || !fitsClassic(spec, levels, bodySize);
    return layout(spec, levels, bodySize, big);
  }

  /** True when a classic TIFF of these levels and body keeps every offset below 2^32. */
  static boolean fitsClassic(Spec spec, List<Level> levels, long bodySize) {
    long total = prefixSize(spec, levels, false) + bodySize;
    for (int i = 1; i < levels.size(); i++) total += levels.get(i).spool.size();
    return total <= 0xFFFF_FFFFL;
  }

  private static long prefixSize(Spec spec, List<Level> levels, boolean big) {
    long s = (big ? 16 : 8) + ghost(spec.planar() == 2).length();
    s += s & 1;
    for (int i = 0; i < levels.size(); i++) s += ifd(spec, levels, i, big).size(big);
    return s;
  }

  private static Head layout(Spec spec, List<Level> levels, long bodySize, boolean big) {
    long prefix = prefixSize(spec, levels, big);
    if (prefix > Integer.MAX_VALUE - 16)
      throw new IllegalStateException("TIFF directories of " + prefix + " bytes");
    // data positions: smallest overview first, then the body
    long[] base = new long[levels.size()];
    long pos = prefix;
    List<Spool> spools = new ArrayList<>();
    for (int i = levels.size() - 1; i >= 1; i--) {
      base[i] = pos;
      pos += levels.get(i).spool.size();
      spools.add(levels.get(i).spool);
    }
    base[0] = pos;
    ByteBuffer out = ByteBuffer.allocate((int) prefix).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) 'I').put((byte) 'I');
    String ghost = ghost(spec.planar() == 2);
    long first = (big ? 16 : 8) + ghost.length();
    first += first & 1;
    if (big) out.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(first);
    else out.putShort((short) 42).putInt((int) first);
    out.put(ghost.getBytes(StandardCharsets.US_ASCII));
    if ((out.position() & 1) != 0) out.put((byte) 0);
    long at = first;
    for (int i = 0; i < levels.size(); i++) {
      Level l = levels.get(i);
      long[] absolute = new long[l.tiles()];
      for (int t = 0; t < absolute.length; t++) absolute[t] = base[i] + l.offsets[t];
      Ifd ifd = ifd(spec, levels, i, big);
      ifd.ints(324, big ? Ifd.LONG8 : Ifd.LONG, absolute);
      long size = ifd.size(big);
      long next = i + 1 < levels.size() ? at + size : 0;
      ifd.write(out, at, next, big);
      at += size;
    }
    if (out.position() != prefix) throw new IllegalStateException("head size mismatch");
    return new Head(out.array(), spools, big);
  }

  /** The IFD of level {@code i} without TileOffsets (added by the caller; size counted here). */
  private static Ifd ifd(Spec spec, List<Level> levels, int i, boolean big) {
    Level l = levels.get(i);
    CogRaster r = spec.raster();
    int spp = spec.spp();
    Ifd ifd = new Ifd();
    if (i > 0) ifd.ints(254, Ifd.LONG, 1);
    ifd.shortOrLong(256, l.width);
    ifd.shortOrLong(257, l.height);
    long[] bits = new long[spp];
    java.util.Arrays.fill(bits, 8L * r.dataType().bytes());
    ifd.ints(258, Ifd.SHORT, bits);
    ifd.ints(259, Ifd.SHORT, 8);
    ifd.ints(262, Ifd.SHORT, r.photometric() == CogRaster.Photometric.RGB ? 2 : 1);
    ifd.ints(277, Ifd.SHORT, r.bandCount());
    ifd.ints(284, Ifd.SHORT, spec.planar());
    if (spec.predictor() != Predictors.NONE) ifd.ints(317, Ifd.SHORT, spec.predictor());
    ifd.ints(322, Ifd.SHORT, spec.tileSize());
    ifd.ints(323, Ifd.SHORT, spec.tileSize());
    ifd.ints(324, big ? Ifd.LONG8 : Ifd.LONG, new long[l.tiles()]); // values set in layout()
    ifd.ints(325, big ? Ifd.LONG8 : Ifd.LONG, l.counts);
    int colorChannels = r.photometric() == CogRaster.Photometric.RGB ? 3 : 1;
    if (r.bandCount() > colorChannels)
      ifd.ints(338, Ifd.SHORT, new long[r.bandCount() - colorChannels]);
    long[] format = new long[spp];
    java.util.Arrays.fill(format, sampleFormat(r.dataType()));
    ifd.ints(339, Ifd.SHORT, format);
    if (i == 0) {
      r.georeferencing().ifPresent(g -> GeoTags.add(ifd, g));
      String md = GdalMetadata.xml(r);
      if (md != null) ifd.ascii(GdalMetadata.TAG_METADATA, md);
    }
    if (r.nodata() != null) ifd.ascii(GdalMetadata.TAG_NODATA, GdalMetadata.nodata(r.nodata()));
    return ifd;
  }

  private static int sampleFormat(DataType t) {
    return switch (t) {
      case UINT8, UINT16 -> 1;
      case INT16 -> 2;
      case FLOAT32 -> 3;
    };
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public InputStream open(long offset, long length) throws IOException {
    if (offset < 0 || length < 0 || offset + length > size)
      throw new IllegalArgumentException(
          "range " + offset + "+" + length + " outside the head of " + size + " bytes");
    List<InputStream> parts = new ArrayList<>();
    long segStart = 0, end = offset + length;
    long segEnd = prefix.length;
    if (offset < segEnd && end > segStart) {
      int from = (int) offset;
      parts.add(new ByteArrayInputStream(prefix, from, (int) (Math.min(end, segEnd) - from)));
    }
    segStart = segEnd;
    for (Spool s : spools) {
      segEnd = segStart + s.size();
      if (offset < segEnd && end > segStart) {
        long from = Math.max(offset, segStart) - segStart;
        parts.add(s.open(from, Math.min(end, segEnd) - segStart - from));
      }
      segStart = segEnd;
    }
    return new SequenceInputStream(Collections.enumeration(parts));
  }
}
