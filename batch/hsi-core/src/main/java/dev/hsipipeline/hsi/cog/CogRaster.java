package dev.hsipipeline.hsi.cog;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a COG holds: its size, sample type, bands and where it lies on the Earth.
 *
 * @param width pixels per line (&gt; 0)
 * @param height lines (&gt; 0)
 * @param dataType the sample type of every band
 * @param photometric grey bands or an RGB image
 * @param bands one entry per band (at least one; three for RGB)
 * @param nodata the no-data value of every band, or null
 * @param georeferencing CRS and geotransform, or empty for a raster that is not georeferenced
 */
public record CogRaster(
    int width,
    int height,
    DataType dataType,
    Photometric photometric,
    List<Band> bands,
    Double nodata,
    Optional<Georeferencing> georeferencing) {

  /** How the bands are to be displayed (TIFF PhotometricInterpretation). */
  public enum Photometric {
    /** Independent grey bands (MinIsBlack); every band beyond the first is an extra sample. */
    GRAY,
    /** Three uint8 bands red, green, blue. */
    RGB
  }

  /**
   * Metadata of one band, written to GDAL_METADATA so that {@code gdalinfo} shows it.
   *
   * @param description the band description, or null
   * @param wavelengthNm centre wavelength in nanometres, or null
   * @param fwhmNm full width at half maximum in nanometres, or null
   */
  public record Band(String description, Double wavelengthNm, Double fwhmNm) {
    /** A band with a description only. */
    public static Band named(String description) {
      return new Band(description, null, null);
    }
  }

  /** Validates. */
  public CogRaster {
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(photometric, "photometric");
    Objects.requireNonNull(georeferencing, "georeferencing");
    if (width <= 0 || height <= 0)
      throw new IllegalArgumentException(
          "width and height must be positive, got " + width + " x " + height);
    bands = List.copyOf(bands);
    if (bands.isEmpty()) throw new IllegalArgumentException("a raster needs at least one band");
    if (bands.size() > 65535)
      throw new IllegalArgumentException("at most 65535 bands, got " + bands.size());
    if (photometric == Photometric.RGB && (bands.size() != 3 || dataType != DataType.UINT8))
      throw new IllegalArgumentException(
          "an RGB raster has 3 uint8 bands, got " + bands.size() + " " + dataType.label());
  }

  /** Number of bands. */
  public int bandCount() {
    return bands.size();
  }

  /** A grey raster with unnamed bands, no nodata and no georeferencing. */
  public static CogRaster gray(int width, int height, int bands, DataType type) {
    return new CogRaster(
        width,
        height,
        type,
        Photometric.GRAY,
        java.util.Collections.nCopies(bands, new Band(null, null, null)),
        null,
        Optional.empty());
  }

  /** The same raster with a no-data value. */
  public CogRaster withNodata(Double value) {
    return new CogRaster(width, height, dataType, photometric, bands, value, georeferencing);
  }

  /** The same raster with georeferencing. */
  public CogRaster withGeoreferencing(Optional<Georeferencing> g) {
    return new CogRaster(width, height, dataType, photometric, bands, nodata, g);
  }
}
