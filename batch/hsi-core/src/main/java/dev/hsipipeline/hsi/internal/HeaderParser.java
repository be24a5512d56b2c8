package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.EnviHeaderException;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** ENVI header text → {@link EnviHeader}, strict: every problem names its key. */
public final class HeaderParser {
  private static final Set<String> REQUIRED =
      Set.of("samples", "lines", "bands", "data type", "interleave");
  private static final Set<String> KNOWN =
      Set.of(
          "samples",
          "lines",
          "bands",
          "header offset",
          "data type",
          "interleave",
          "byte order",
          "wavelength",
          "wavelength units",
          "fwhm",
          "data ignore value",
          "bbl",
          "band names",
          "description",
          "file type",
          MapInfoParser.MAP_INFO);

  private HeaderParser() {}

  /** See {@link EnviHeader#parse(String, String)}. */
  public static EnviHeader parse(String text, String source) {
    if (text == null) throw new EnviHeaderException(source, null, "header is empty");
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    if (text.indexOf('\0') >= 0)
      throw new EnviHeaderException(
          source, null, "header contains NUL bytes (is this the binary data file?)");
    Map<String, String> fields = fields(text, source);
    for (String key : List.of("samples", "lines", "bands", "data type", "interleave")) {
      if (!fields.containsKey(key))
        throw new EnviHeaderException(source, key, "required key is missing");
    }
    int samples = positiveInt(fields, "samples", source);
    int lines = positiveInt(fields, "lines", source);
    int bands = positiveInt(fields, "bands", source);
    long headerOffset =
        fields.containsKey("header offset") ? nonNegativeLong(fields, "header offset", source) : 0;

    long code = integer(fields, "data type", source);
    DataType type =
        code >= Integer.MIN_VALUE && code <= Integer.MAX_VALUE
            ? DataType.fromCode((int) code)
            : null;
    if (type == null) {
      String name = knownName(code);
      throw new EnviHeaderException(
          source,
          "data type",
          "unsupported value "
              + code
              + (name == null ? "" : " (" + name + ")")
              + "; supported: "
              + DataType.supportedList());
    }
    Interleave interleave = Interleave.parse(fields.get("interleave"));
    if (interleave == null) {
      throw new EnviHeaderException(
          source,
          "interleave",
          "unknown value '" + fields.get("interleave") + "'; expected bsq, bil or bip");
    }
    ByteOrder order;
    if (fields.containsKey("byte order")) {
      long bo = integer(fields, "byte order", source);
      if (bo != 0 && bo != 1)
        throw new EnviHeaderException(
            source, "byte order", "expected 0 (little endian) or 1 (big endian), got " + bo);
      order = bo == 1 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    } else if (type.bytes() == 1) {
      order = ByteOrder.LITTLE_ENDIAN; // irrelevant for single-byte samples
    } else {
      throw new EnviHeaderException(
          source,
          "byte order",
          "required key is missing (data type " + type.code() + " has multi-byte samples)");
    }
    try {
      Math.multiplyExact(
          Math.multiplyExact(Math.multiplyExact((long) samples, (long) lines), (long) bands),
          (long) type.bytes());
    } catch (ArithmeticException e) {
      throw new EnviHeaderException(
          source, "samples", "samples × lines × bands × bytes overflows 64 bits");
    }

    String units = fields.get("wavelength units");
    String givenUnits = units;
    List<Double> wavelengths = List.of();
    List<Double> fwhm = List.of();
    double toNm = 1;
    if (fields.containsKey("wavelength")) {
      wavelengths = numberList(fields, "wavelength", bands, source);
      for (int i = 0; i < wavelengths.size(); i++) {
        double w = wavelengths.get(i);
        if (!(w > 0) || Double.isInfinite(w))
          throw new EnviHeaderException(
              source, "wavelength", "entry " + (i + 1) + " (" + w + ") is not a positive number");
      }
      toNm = unitsToNm(units, wavelengths, source);
      wavelengths = scale(wavelengths, toNm);
      units = "Nanometers"; // the values are held in nm from here on
    }
    if (fields.containsKey("fwhm")) {
      fwhm = numberList(fields, "fwhm", bands, source);
      double fwhmScale =
          fields.containsKey("wavelength") ? toNm : unitsToNm(givenUnits, fwhm, source);
      fwhm = scale(fwhm, fwhmScale);
    }
    Double ignore = null;
    if (fields.containsKey("data ignore value")) {
      ignore = number(fields.get("data ignore value"), "data ignore value", source);
    }
    List<Boolean> good = List.of();
    if (fields.containsKey("bbl")) {
      List<Double> flags = numberList(fields, "bbl", bands, source);
      List<Boolean> g = new ArrayList<>(bands);
      for (int i = 0; i < flags.size(); i++) {
        double f = flags.get(i);
        if (f != 0 && f != 1)
          throw new EnviHeaderException(
              source,
              "bbl",
              "entry "
                  + (i + 1)
                  + " is "
                  + fields.get("bbl").split(",")[i].trim()
                  + "; expected 0 (bad) or 1 (good)");
        g.add(f == 1);
      }
      good = g;
    }
    List<String> names = List.of();
    if (fields.containsKey("band names")) {
      names = list(fields, "band names", source);
      if (names.size() != bands)
        throw new EnviHeaderException(
            source, "band names", "has " + names.size() + " entries but bands = " + bands);
    }
    String description =
        fields.containsKey("description")
            ? stripBraces(fields.get("description"), "description", source).trim()
            : null;
    Optional<Georeferencing> georeferencing = MapInfoParser.parse(fields, source);
    Map<String, String> extra = new LinkedHashMap<>();
    fields.forEach(
        (k, v) -> {
          // Without map info GDAL ignores the coordinate system string too: kept verbatim.
          boolean consumed =
              KNOWN.contains(k) || (georeferencing.isPresent() && k.equals(MapInfoParser.CSS));
          if (!consumed) extra.put(k, v);
        });
    return EnviHeader.builder()
        .size(samples, lines, bands)
        .headerOffset(headerOffset)
        .dataType(type)
        .interleave(interleave)
        .byteOrder(order)
        .wavelengthsNm(wavelengths)
        .wavelengthUnits(units)
        .fwhmNm(fwhm)
        .dataIgnoreValue(ignore)
        .goodBands(good)
        .bandNames(names)
        .description(description)
        .extra(extra)
        .georeferencing(georeferencing.orElse(null))
        .build();
  }

  /** Splits the text into normalised key → raw value, handling multi-line {...} values. */
  static Map<String, String> fields(String text, String source) {
    String[] rows = text.split("\r\n|\r|\n", -1);
    int i = 0;
    while (i < rows.length && rows[i].isBlank()) i++;
    if (i == rows.length || !rows[i].trim().equals("ENVI")) {
      throw new EnviHeaderException(
          source,
          null,
          "first line must be 'ENVI' (found '"
              + (i == rows.length ? "" : abbreviate(rows[i].trim()))
              + "'): not an ENVI header");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (i = i + 1; i < rows.length; i++) {
      String row = rows[i];
      String trimmed = row.trim();
      if (trimmed.isEmpty() || trimmed.startsWith(";")) continue;
      int eq = row.indexOf('=');
      if (eq < 0) {
        throw new EnviHeaderException(
            source,
            null,
            "line " + (i + 1) + " is not 'key = value': '" + abbreviate(trimmed) + "'");
      }
      String key = row.substring(0, eq).trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
      if (key.isEmpty())
        throw new EnviHeaderException(source, null, "line " + (i + 1) + " has an empty key");
      String value = row.substring(eq + 1).trim();
      if (value.startsWith("{")) {
        StringBuilder sb = new StringBuilder(value);
        int startLine = i + 1;
        while (value.indexOf('}') < 0) {
          i++;
          if (i >= rows.length)
            throw new EnviHeaderException(
                source, key, "'{' opened on line " + startLine + " is never closed");
          sb.append('\n').append(rows[i]);
          value = rows[i];
        }
        value = sb.toString().trim();
        if (!value.endsWith("}")) {
          throw new EnviHeaderException(source, key, "unexpected text after the closing '}'");
        }
      }
      if (fields.containsKey(key))
        throw new EnviHeaderException(source, key, "appears more than once");
      fields.put(key, value);
    }
    return fields;
  }

  private static int positiveInt(Map<String, String> f, String key, String source) {
    long v = integer(f, key, source);
    if (v <= 0) throw new EnviHeaderException(source, key, "must be a positive integer, got " + v);
    if (v > Integer.MAX_VALUE)
      throw new EnviHeaderException(source, key, "value " + v + " is too large");
    return (int) v;
  }

  private static long nonNegativeLong(Map<String, String> f, String key, String source) {
    long v = integer(f, key, source);
    if (v < 0) throw new EnviHeaderException(source, key, "must be >= 0, got " + v);
    return v;
  }

  private static long integer(Map<String, String> f, String key, String source) {
    String raw = f.get(key).trim();
    if (raw.isEmpty()) throw new EnviHeaderException(source, key, "value is empty");
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new EnviHeaderException(
          source, key, "expected an integer, got '" + abbreviate(raw) + "'");
    }
  }

  private static double number(String raw, String key, String source) {
    String t = raw.trim();
    try {
      if (t.equalsIgnoreCase("nan")) return Double.NaN;
      if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?"))
        throw new NumberFormatException();
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new EnviHeaderException(source, key, "expected a number, got '" + abbreviate(t) + "'");
    }
  }

  private static List<String> list(Map<String, String> f, String key, String source) {
    String inner = stripBraces(f.get(key), key, source);
    List<String> out = new ArrayList<>();
    if (inner.isBlank()) return out;
    for (String part : inner.split(",", -1)) out.add(part.trim().replaceAll("\\s+", " "));
    return out;
  }

  private static List<Double> numberList(
      Map<String, String> f, String key, int bands, String source) {
    List<String> raw = list(f, key, source);
    if (raw.size() != bands)
      throw new EnviHeaderException(
          source, key, "has " + raw.size() + " entries but bands = " + bands);
    List<Double> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      String r = raw.get(i);
      try {
        if (!r.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?"))
          throw new NumberFormatException();
        out.add(Double.parseDouble(r));
      } catch (NumberFormatException e) {
        throw new EnviHeaderException(
            source, key, "entry " + (i + 1) + " '" + abbreviate(r) + "' is not a number");
      }
    }
    return out;
  }

  private static String stripBraces(String value, String key, String source) {
    String v = value.trim();
    if (!v.startsWith("{") || !v.endsWith("}"))
      throw new EnviHeaderException(
          source, key, "expected a {...} list, got '" + abbreviate(v) + "'");
    return v.substring(1, v.length() - 1);
  }

  private static double unitsToNm(String units, List<Double> values, String source) {
    if (units == null || units.isBlank() || units.equalsIgnoreCase("unknown")) {
      // No units: instruments in the 0.4–2.5 range are in micrometres, everything else nm.
      double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      return max < 100 ? 1000 : 1;
    }
    return switch (units.trim().toLowerCase(Locale.ROOT)) {
      case "nanometers", "nanometres", "nm" -> 1;
      case "micrometers", "micrometres", "microns", "micron", "um", "µm" -> 1000;
      case "millimeters", "millimetres", "mm" -> 1_000_000;
      default ->
          throw new EnviHeaderException(
              source,
              "wavelength units",
              "unsupported units '" + units.trim() + "'; expected Nanometers or Micrometers");
    };
  }

  private static List<Double> scale(List<Double> values, double factor) {
    if (factor == 1) return values;
    List<Double> out = new ArrayList<>(values.size());
    for (double v : values) out.add(v * factor);
    return out;
  }

  private static String knownName(long code) {
    return switch ((int) code) {
      case 3 -> "int32";
      case 5 -> "float64";
      case 6 -> "complex64";
      case 9 -> "complex128";
      case 13 -> "uint32";
      case 14 -> "int64";
      case 15 -> "uint64";
      default -> null;
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
