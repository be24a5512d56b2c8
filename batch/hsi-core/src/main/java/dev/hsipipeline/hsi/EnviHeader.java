package dev.hsipipeline.hsi;

import dev.hsipipeline.hsi.geo.Footprint;
import dev.hsipipeline.hsi.geo.Georeferencing;
import dev.hsipipeline.hsi.internal.HeaderParser;
import dev.hsipipeline.hsi.internal.HeaderWriter;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated ENVI header: geometry, sample encoding, the spectral metadata the pipeline uses and
 * the georeferencing of {@code map info} / {@code coordinate system string}. Parse with {@link
 * #parse(String, String)}, build with {@link #builder()}, serialise with {@link #toText()}.
 *
 * @param samples pixels per line (&gt; 0)
 * @param lines lines (&gt; 0)
 * @param bands bands (&gt; 0)
 * @param headerOffset bytes to skip at the start of the data file (&ge; 0)
 * @param dataType sample encoding
 * @param interleave sample order in the file
 * @param byteOrder byte order of multi-byte samples ({@code byte order = 0} little, 1 big)
 * @param wavelengthsNm band centre wavelengths converted to nanometres (empty when the header has
 *     none)
 * @param wavelengthUnits {@code Nanometers} when wavelengths are present (values are converted to
 *     nm), else as written or null
 * @param fwhmNm full width at half maximum per band in nanometres (empty when absent)
 * @param dataIgnoreValue no-data value, or null
 * @param goodBands {@code bbl}: true = good band (empty when absent = all good)
 * @param bandNames band names (empty when absent)
 * @param description description text, or null
 * @param extra other keys, preserved verbatim in key order (never {@code map info}, nor {@code
 *     coordinate system string} when the header is georeferenced: those live in {@code
 *     georeferencing})
 * @param georeferencing CRS and pixel-to-map transform from {@code map info} and {@code coordinate
 *     system string}, exactly as GDAL's ENVI driver reads them; empty when the header has no {@code
 *     map info} (the scene is valid, just not on a map)
 */
public record EnviHeader(
    int samples,
    int lines,
    int bands,
    long headerOffset,
    DataType dataType,
    Interleave interleave,
    ByteOrder byteOrder,
    List<Double> wavelengthsNm,
    String wavelengthUnits,
    List<Double> fwhmNm,
    Double dataIgnoreValue,
    List<Boolean> goodBands,
    List<String> bandNames,
    String description,
    Map<String, String> extra,
    Optional<Georeferencing> georeferencing) {

  /** Validates and copies the lists. */
  public EnviHeader {
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(interleave, "interleave");
    Objects.requireNonNull(byteOrder, "byteOrder");
    if (samples <= 0 || lines <= 0 || bands <= 0)
      throw new IllegalArgumentException("samples, lines and bands must be positive");
    if (headerOffset < 0) throw new IllegalArgumentException("headerOffset must be >= 0");
    wavelengthsNm = List.copyOf(wavelengthsNm == null ? List.of() : wavelengthsNm);
    fwhmNm = List.copyOf(fwhmNm == null ? List.of() : fwhmNm);
    goodBands = List.copyOf(goodBands == null ? List.of() : goodBands);
    bandNames = List.copyOf(bandNames == null ? List.of() : bandNames);
    extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    georeferencing = georeferencing == null ? Optional.empty() : georeferencing;
    if (extra.containsKey(HeaderWriter.MAP_INFO))
      throw new IllegalArgumentException(
          "'map info' belongs in georeferencing, not in extra (it would be written twice)");
    if (georeferencing.isPresent() && extra.containsKey(HeaderWriter.COORDINATE_SYSTEM_STRING))
      throw new IllegalArgumentException(
          "'coordinate system string' belongs in georeferencing when the header is"
              + " georeferenced (it would be written twice)");
    georeferencing.ifPresent(HeaderWriter::requireRepresentable);
    requireSize("wavelength", wavelengthsNm.size(), bands);
    requireSize("fwhm", fwhmNm.size(), bands);
    requireSize("bbl", goodBands.size(), bands);
    requireSize("band names", bandNames.size(), bands);
  }

  private static void requireSize(String key, int size, int bands) {
    if (size != 0 && size != bands) {
      throw new IllegalArgumentException(key + " has " + size + " entries but bands = " + bands);
    }
  }

  /** Minimal header for a cube without spectral metadata or georeferencing. */
  public static EnviHeader of(
      int samples, int lines, int bands, DataType type, Interleave interleave, ByteOrder order) {
    return builder()
        .size(samples, lines, bands)
        .dataType(type)
        .interleave(interleave)
        .byteOrder(order)
        .build();
  }

  /** A builder with no values set: size, data type, interleave and byte order are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this header's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Parses header text.
   *
   * @param text the header file content
   * @param source where it came from, used in error messages (e.g. the s3:// URI)
   * @throws EnviHeaderException naming the key and the problem when the header is malformed
   */
  public static EnviHeader parse(String text, String source) {
    return HeaderParser.parse(text, source);
  }

  /** Bytes per sample of {@link #dataType()}: 1, 2 or 4. */
  public int bytesPerSample() {
    return dataType.bytes();
  }

  /** Bytes of one band of one line. */
  public long bandLineBytes() {
    return (long) samples * dataType.bytes();
  }

  /** Bytes of one full band (all lines). */
  public long bandBytes() {
    return bandLineBytes() * lines;
  }

  /** Bytes of one full line (all bands). */
  public long lineBytes() {
    return bandLineBytes() * bands;
  }

  /** Bytes of cube data, excluding the header offset. */
  public long dataBytes() {
    return Math.multiplyExact(lineBytes(), (long) lines);
  }

  /** Size the data object must have: header offset + data bytes. */
  public long expectedObjectSize() {
    return headerOffset + dataBytes();
  }

  /** How {@link #expectedObjectSize()} is made up, for error messages. */
  public String sizeFormula() {
    return "header offset "
        + headerOffset
        + " + "
        + samples
        + " samples × "
        + lines
        + " lines × "
        + bands
        + " bands × "
        + dataType.bytes()
        + " bytes ("
        + dataType.label()
        + ")";
  }

  /** True unless {@code bbl} marks the band bad. */
  public boolean isGoodBand(int band) {
    return goodBands.isEmpty() || goodBands.get(band);
  }

  /** True when the header carries wavelengths. */
  public boolean hasWavelengths() {
    return !wavelengthsNm.isEmpty();
  }

  /** Centre wavelength of a band in nm, or NaN when the header has none. */
  public double wavelengthNm(int band) {
    return wavelengthsNm.isEmpty() ? Double.NaN : wavelengthsNm.get(band);
  }

  /**
   * The good band whose centre wavelength is nearest to {@code nm} (ties: the lower index).
   *
   * @throws IllegalArgumentException when the header has no wavelengths or no good band
   */
  public int nearestGoodBand(double nm) {
    if (!hasWavelengths())
      throw new IllegalArgumentException(
          "the header has no 'wavelength' list, so bands cannot be chosen by wavelength");
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int b = 0; b < bands; b++) {
      if (!isGoodBand(b)) continue;
      double d = Math.abs(wavelengthsNm.get(b) - nm);
      if (d < bestDistance) {
        bestDistance = d;
        best = b;
      }
    }
    if (best < 0) throw new IllegalArgumentException("every band is marked bad in 'bbl'");
    return best;
  }

  /**
   * Serialises the header in ENVI syntax, {@code map info} and {@code coordinate system string}
   * included, so that GDAL reads the same georeferencing. {@link #parse} reads it back to an equal
   * record (a rotated transform to within floating-point rounding of its rotation angle).
   */
  public String toText() {
    return HeaderWriter.write(this);
  }

  /** True when the header has {@code map info}, i.e. {@link #georeferencing()} is present. */
  public boolean isGeoreferenced() {
    return georeferencing.isPresent();
  }

  /**
   * The footprint of the raster in WGS 84 longitude/latitude (see {@link
   * Georeferencing#footprint(int, int)}), or empty when it is not georeferenced.
   *
   * @throws IllegalArgumentException when the CRS cannot be transformed to WGS 84
   */
  public Optional<Footprint> footprint() {
    return georeferencing.map(g -> g.footprint(samples, lines));
  }

  /**
   * Builds an {@link EnviHeader}; {@link #build()} validates like the record constructor. Lists
   * default to empty, {@code headerOffset} to 0, the rest to absent.
   */
  public static final class Builder {
    private int samples, lines, bands;
    private long headerOffset;
    private DataType dataType;
    private Interleave interleave;
    private ByteOrder byteOrder;
    private List<Double> wavelengthsNm = List.of();
    private String wavelengthUnits;
    private List<Double> fwhmNm = List.of();
    private Double dataIgnoreValue;
    private List<Boolean> goodBands = List.of();
    private List<String> bandNames = List.of();
    private String description;
    private Map<String, String> extra = Map.of();
    private Georeferencing georeferencing;

    private Builder() {}

    private Builder(EnviHeader h) {
      samples = h.samples;
      lines = h.lines;
      bands = h.bands;
      headerOffset = h.headerOffset;
      dataType = h.dataType;
      interleave = h.interleave;
      byteOrder = h.byteOrder;
      wavelengthsNm = h.wavelengthsNm;
      wavelengthUnits = h.wavelengthUnits;
      fwhmNm = h.fwhmNm;
      dataIgnoreValue = h.dataIgnoreValue;
      goodBands = h.goodBands;
      bandNames = h.bandNames;
      description = h.description;
      extra = h.extra;
      georeferencing = h.georeferencing.orElse(null);
    }

    /** Samples (pixels per line), lines and bands. */
    public Builder size(int samples, int lines, int bands) {
      this.samples = samples;
      this.lines = lines;
      this.bands = bands;
      return this;
    }

    /** Bytes before the cube in the data file. */
    public Builder headerOffset(long headerOffset) {
      this.headerOffset = headerOffset;
      return this;
    }

    /** {@code data type}. */
    public Builder dataType(DataType dataType) {
      this.dataType = dataType;
      return this;
    }

    /** Sample order in the file. */
    public Builder interleave(Interleave interleave) {
      this.interleave = interleave;
      return this;
    }

    /** Byte order of multi-byte samples. */
    public Builder byteOrder(ByteOrder byteOrder) {
      this.byteOrder = byteOrder;
      return this;
    }

    /** Band centre wavelengths in nanometres; sets {@code wavelength units} to Nanometers. */
    public Builder wavelengthsNm(List<Double> wavelengthsNm) {
      this.wavelengthsNm = wavelengthsNm;
      this.wavelengthUnits = wavelengthsNm == null || wavelengthsNm.isEmpty() ? null : "Nanometers";
      return this;
    }

    /** {@code wavelength units} as written (only meaningful without wavelengths). */
    public Builder wavelengthUnits(String wavelengthUnits) {
      this.wavelengthUnits = wavelengthUnits;
      return this;
    }

    /** Full width at half maximum per band, in nanometres. */
    public Builder fwhmNm(List<Double> fwhmNm) {
      this.fwhmNm = fwhmNm;
      return this;
    }

    /** {@code data ignore value}, or null for none. */
    public Builder dataIgnoreValue(Double dataIgnoreValue) {
      this.dataIgnoreValue = dataIgnoreValue;
      return this;
    }

    /** {@code bbl}: true = good band. */
    public Builder goodBands(List<Boolean> goodBands) {
      this.goodBands = goodBands;
      return this;
    }

    /** {@code band names}, one per band. */
    public Builder bandNames(List<String> bandNames) {
      this.bandNames = bandNames;
      return this;
    }

    /** Description text, or null. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Other keys, written verbatim in order. */
    public Builder extra(Map<String, String> extra) {
      this.extra = extra;
      return this;
    }

    /** The georeferencing, or null for a header without {@code map info}. */
    public Builder georeferencing(Georeferencing georeferencing) {
      this.georeferencing = georeferencing;
      return this;
    }

    /**
     * The header.
     *
     * @throws IllegalArgumentException or NullPointerException naming the invalid value
     */
    public EnviHeader build() {
      return new EnviHeader(
          samples,
          lines,
          bands,
          headerOffset,
          dataType,
          interleave,
          byteOrder,
          wavelengthsNm,
          wavelengthUnits,
          fwhmNm,
          dataIgnoreValue,
          goodBands,
          bandNames,
          description,
          extra,
          Optional.ofNullable(georeferencing));
    }
  }
}
