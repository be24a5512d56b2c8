package dev.hsipipeline.hsi.cog.internal;

import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.TruncatedDataException;
import dev.hsipipeline.hsi.cog.CogOptions;
import dev.hsipipeline.hsi.cog.CogRaster;
import dev.hsipipeline.hsi.cog.CogResult;
import dev.hsipipeline.hsi.cog.CogSink;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ENVI cube → COG. BIL and BIP stream as one ranged read of the whole data; BSQ reads, per tile
 * row, one range per band. Bytes land directly in the encoder's strip buffer, in the source's own
 * layout and byte order; the encoder converts while gathering tiles, so every sample is copied
 * unchanged.
 */
public final class EnviConverter {
  private EnviConverter() {}

  /** The COG description of an ENVI scene: bands named as GDAL's ENVI driver names them. */
  public static CogRaster raster(EnviHeader h, Optional<Georeferencing> georeferencing) {
    List<CogRaster.Band> bands = new ArrayList<>(h.bands());
    for (int b = 0; b < h.bands(); b++) {
      Double wl = h.hasWavelengths() ? h.wavelengthNm(b) : null;
      Double fwhm = h.fwhmNm().isEmpty() ? null : h.fwhmNm().get(b);
      String wavelength = wl == null ? null : GdalMetadata.number(wl) + " Nanometers";
      String name = h.bandNames().isEmpty() ? null : h.bandNames().get(b);
      String description =
          name != null ? (wavelength != null ? name + " (" + wavelength + ")" : name) : wavelength;
      bands.add(new CogRaster.Band(description, wl, fwhm));
    }
    return new CogRaster(
        h.samples(),
        h.lines(),
        h.dataType(),
        CogRaster.Photometric.GRAY,
        bands,
        h.dataIgnoreValue(),
        georeferencing);
  }

  /** Converts; the sink receives the COG, or is aborted when anything fails. */
  public static CogResult convert(
      EnviHeader h,
      Optional<Georeferencing> georeferencing,
      CubeSource source,
      CogOptions options,
      CogSink sink,
      Path tempDir)
      throws IOException {
    CogRaster raster = raster(h, georeferencing);
    try (Encoder enc = new Encoder(raster, options, sink, h.interleave(), h.byteOrder(), tempDir)) {
      if (h.interleave() == Interleave.BSQ) bsq(h, source, enc, options.tileSize());
      else lines(h, source, enc);
      return enc.finish();
    }
  }

  private static void lines(EnviHeader h, CubeSource source, Encoder enc) throws IOException {
    long lineBytes = h.lineBytes();
    try (InputStream in = source.open(h.headerOffset(), h.dataBytes())) {
      long[] position = {h.headerOffset()};
      enc.write(
          h.lines(),
          (s, n) -> {
            int off = s.offset(s.lines, 0, 0);
            readFully(in, s.data, off, (int) (n * lineBytes), position[0], h);
            position[0] += n * lineBytes;
          });
    }
  }

  private static void bsq(EnviHeader h, CubeSource source, Encoder enc, int tileSize)
      throws IOException {
    int[] line = {0};
    enc.write(
        h.lines(),
        (s, n) -> {
          for (int b = 0; b < h.bands(); b++) {
            long from = h.headerOffset() + b * h.bandBytes() + line[0] * h.bandLineBytes();
            int len = (int) (n * h.bandLineBytes());
            try (InputStream in = source.open(from, len)) {
              readFully(in, s.data, s.offset(s.lines, b, 0), len, from, h);
            }
          }
          line[0] += n;
        });
  }

  private static void readFully(
      InputStream in, byte[] buf, int off, int len, long objectOffset, EnviHeader h)
      throws IOException {
    int done = 0;
    while (done < len) {
      int r = in.read(buf, off + done, len - done);
      if (r < 0)
        throw new TruncatedDataException(
            "the data object", h.expectedObjectSize(), objectOffset + done);
      done += r;
    }
  }
}
