package dev.hsipipeline.hsi.geo.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The geodetic datums whose CRSs are identified by EPSG code: the datums of GDAL's ENVI driver that
 * have a UTM series in the EPSG registry. Values are the EPSG registry's (the same GDAL 3.6 writes
 * when it exports these codes as WKT1).
 */
public enum Datum {
  /** WGS 84: EPSG:4326, UTM 32601–32660 (N) and 32701–32760 (S). */
  WGS84(
      "WGS-84",
      "WGS 84",
      "WGS_1984",
      "WGS 84",
      6378137,
      298.257223563,
      7030,
      6326,
      4326,
      32600,
      32700,
      60,
      Set.of("wgs84", "wgs1984", "worldgeodeticsystem1984")),
  /** WGS 72: EPSG:4322, UTM 32201–32260 (N) and 32301–32360 (S). */
  WGS72(
      "WGS-72",
      "WGS 72",
      "World_Geodetic_System_1972",
      "WGS 72",
      6378135,
      298.26,
      7043,
      6322,
      4322,
      32200,
      32300,
      60,
      Set.of("wgs72", "wgs1972", "worldgeodeticsystem1972")),
  /** NAD83: EPSG:4269, UTM 26901–26923 (north only). */
  NAD83(
      "North America 1983",
      "NAD83",
      "North_American_Datum_1983",
      "GRS 1980",
      6378137,
      298.257222101,
      7019,
      6269,
      4269,
      26900,
      0,
      23,
      Set.of("nad83", "northamerican1983", "northamericandatum1983")),
  /** NAD27: EPSG:4267, UTM 26701–26722 (north only). */
  NAD27(
      "North America 1927",
      "NAD27",
      "North_American_Datum_1927",
      "Clarke 1866",
      6378206.4,
      294.978698213898,
      7008,
      6267,
      4267,
      26700,
      0,
      22,
      Set.of("nad27", "northamerican1927", "northamericandatum1927"));

  /** The name ENVI writes in {@code map info}. */
  public final String enviName;

  final String geogcsName;
  final String datumName;
  final String spheroidName;

  /** Semi-major axis in metres. */
  public final double semiMajor;

  /** 1/f of the ellipsoid (298.257223563 for WGS 84). */
  public final double inverseFlattening;

  final int spheroidCode;
  final int datumCode;

  /** EPSG code of the geographic CRS. */
  public final int geographicEpsg;

  final int utmNorthBase;
  final int utmSouthBase;
  final int lastEpsgZone;
  private final Set<String> aliases;

  Datum(
      String enviName,
      String geogcsName,
      String datumName,
      String spheroidName,
      double semiMajor,
      double inverseFlattening,
      int spheroidCode,
      int datumCode,
      int geographicEpsg,
      int utmNorthBase,
      int utmSouthBase,
      int lastEpsgZone,
      Set<String> aliases) {
    this.enviName = enviName;
    this.geogcsName = geogcsName;
    this.datumName = datumName;
    this.spheroidName = spheroidName;
    this.semiMajor = semiMajor;
    this.inverseFlattening = inverseFlattening;
    this.spheroidCode = spheroidCode;
    this.datumCode = datumCode;
    this.geographicEpsg = geographicEpsg;
    this.utmNorthBase = utmNorthBase;
    this.utmSouthBase = utmSouthBase;
    this.lastEpsgZone = lastEpsgZone;
    this.aliases = aliases;
  }

  /**
   * The datum an ENVI {@code map info} names, as GDAL's ENVI driver maps it ({@code GRS 80} is
   * NAD83 there), or empty for any other name.
   */
  public static Optional<Datum> ofEnviName(String name) {
    String n = name.trim();
    for (Datum d : values()) if (d.enviName.equalsIgnoreCase(n)) return Optional.of(d);
    if (n.equalsIgnoreCase("GRS 80")) return Optional.of(NAD83);
    if (n.contains("NAD27") || n.contains("NAD-27")) return Optional.of(NAD27);
    // GDAL reads any name it does not know as WGS 84, so other spellings of WGS 84 agree with it.
    return ofWktName(n).filter(d -> d == WGS84);
  }

  /** The datum a WKT datum name denotes (OGC, ESRI "D_" or EPSG spelling), or empty. */
  static Optional<Datum> ofWktName(String name) {
    String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (n.startsWith("d") && !n.startsWith("datum")) {
      for (Datum d : values()) if (d.aliases.contains(n.substring(1))) return Optional.of(d);
    }
    for (Datum d : values()) if (d.aliases.contains(n)) return Optional.of(d);
    return Optional.empty();
  }

  /** The EPSG code of UTM zone {@code zone} on this datum, or 0 when EPSG has none. */
  public int utmEpsg(int zone, boolean north) {
    if (zone < 1 || zone > lastEpsgZone) return 0;
    int base = north ? utmNorthBase : utmSouthBase;
    return base == 0 ? 0 : base + zone;
  }

  /** The supported ENVI datum names, for error messages. */
  public static String enviNames() {
    StringBuilder sb = new StringBuilder();
    for (Datum d : values()) sb.append(sb.isEmpty() ? "" : ", ").append(d.enviName);
    return sb.toString();
  }
}
