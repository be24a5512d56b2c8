package dev.hsipipeline.hsi;

import dev.hsipipeline.hsi.internal.HeaderParser;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated ENVI header: geometry, sample encoding and the spectral metadata the pipeline uses.
 * Parse with {@link #parse(String, String)}, serialise with {@link #toText()}.
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
 * @param extra other keys, preserved verbatim in key order
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
    Map<String, String> extra) {

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
    extra =
        extra == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
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

  /** Minimal header for a cube without spectral metadata. */
  public static EnviHeader of(
      int samples, int lines, int bands, DataType type, Interleave interleave, ByteOrder order) {
    return new EnviHeader(
        samples,
        lines,
        bands,
        0,
        type,
        interleave,
        order,
        List.of(),
        null,
        List.of(),
        null,
        List.of(),
        List.of(),
        null,
        Map.of());
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

  /** Bytes per sample. */
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

  /** Serialises the header in ENVI syntax; {@link #parse} reads it back to an equal record. */
  public String toText() {
    StringBuilder sb = new StringBuilder("ENVI\n");
    if (description != null) sb.append("description = {").append(description).append("}\n");
    sb.append("samples = ").append(samples).append('\n');
    sb.append("lines = ").append(lines).append('\n');
    sb.append("bands = ").append(bands).append('\n');
    sb.append("header offset = ").append(headerOffset).append('\n');
    sb.append("file type = ENVI Standard\n");
    sb.append("data type = ").append(dataType.code()).append('\n');
    sb.append("interleave = ").append(interleave.label()).append('\n');
    sb.append("byte order = ").append(byteOrder == ByteOrder.BIG_ENDIAN ? 1 : 0).append('\n');
    if (dataIgnoreValue != null)
      sb.append("data ignore value = ").append(number(dataIgnoreValue)).append('\n');
    if (!bandNames.isEmpty())
      sb.append("band names = {").append(String.join(", ", bandNames)).append("}\n");
    if (!wavelengthsNm.isEmpty()) {
      // Always written in nanometres: the values are held in nm.
      sb.append("wavelength units = Nanometers\n");
      sb.append("wavelength = {").append(numbers(wavelengthsNm)).append("}\n");
    }
    if (!fwhmNm.isEmpty()) sb.append("fwhm = {").append(numbers(fwhmNm)).append("}\n");
    if (!goodBands.isEmpty()) {
      List<String> flags = new ArrayList<>(goodBands.size());
      for (Boolean g : goodBands) flags.add(g ? "1" : "0");
      sb.append("bbl = {").append(String.join(", ", flags)).append("}\n");
    }
    extra.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
    return sb.toString();
  }

  private static String numbers(List<Double> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) sb.append(", ");
      sb.append(number(values.get(i)));
    }
    return sb.toString();
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return Double.toString(v);
  }
}
