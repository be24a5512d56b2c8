package dev.hsipipeline.hsi.cog;

import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.cog.internal.EnviConverter;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.io.IOException;
import java.util.Optional;

/**
 * ENVI cube → COG, every sample unchanged: all bands, any interleave, byte order and supported data
 * type; {@code data ignore value} becomes the no-data value, band names and wavelengths become band
 * descriptions and metadata (as GDAL's ENVI driver reports them), the georeferencing becomes
 * GeoTIFF tags. The source is read once, in ranges (see {@link CubeSource}).
 */
public final class EnviToCog {
  private EnviToCog() {}

  /** Converts a scene georeferenced as its header says ({@link EnviHeader#georeferencing()}). */
  public static CogResult convert(
      EnviHeader header, CubeSource source, CogOptions options, CogSink sink) throws IOException {
    return convert(header, header.georeferencing(), source, options, sink);
  }

  /**
   * Converts a scene with the given georeferencing.
   *
   * @param header the validated header
   * @param georeferencing where the scene lies, or empty
   * @param source the data object
   * @param options encoding
   * @param sink receives the COG; aborted on failure
   * @throws dev.hsipipeline.hsi.TruncatedDataException when the data object ends early
   */
  public static CogResult convert(
      EnviHeader header,
      Optional<Georeferencing> georeferencing,
      CubeSource source,
      CogOptions options,
      CogSink sink)
      throws IOException {
    return EnviConverter.convert(
        header, georeferencing, source, options, sink, CogWriter.tempDir());
  }

  /** The COG description {@link #convert} uses for a scene and its header's georeferencing. */
  public static CogRaster raster(EnviHeader header) {
    return raster(header, header.georeferencing());
  }

  /** The COG description {@link #convert} uses for a scene (bands, nodata, georeferencing). */
  public static CogRaster raster(EnviHeader header, Optional<Georeferencing> georeferencing) {
    return EnviConverter.raster(header, georeferencing);
  }
}
