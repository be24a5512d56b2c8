package dev.hsipipeline.hsi.cog.internal;

import dev.hsipipeline.hsi.cog.CogRaster;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The GDAL-private TIFF tags: GDAL_METADATA (42112, an XML document of metadata items; per-band
 * items carry {@code sample="i"}, a band description {@code role="description"}) and GDAL_NODATA
 * (42113, the value as text).
 */
final class GdalMetadata {
  static final int TAG_METADATA = 42112, TAG_NODATA = 42113;

  private GdalMetadata() {}

  /**
   * The XML for the bands' descriptions, wavelengths and widths, or null when there is none. The
   * default domain items ({@code wavelength}, {@code wavelength_units}) are those GDAL's ENVI
   * driver reports; the IMAGERY domain items are the names GDAL 3.10+ standardised.
   */
  static String xml(CogRaster raster) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < raster.bandCount(); i++) {
      CogRaster.Band b = raster.bands().get(i);
      if (b.wavelengthNm() != null) {
        item(sb, "wavelength", i, null, number(b.wavelengthNm()));
        item(sb, "wavelength_units", i, null, "Nanometers");
      }
      if (b.fwhmNm() != null) {
        item(sb, "fwhm", i, null, number(b.fwhmNm()));
        item(sb, "fwhm_units", i, null, "Nanometers");
      }
      if (b.wavelengthNm() != null)
        item(sb, "CENTRAL_WAVELENGTH_UM", i, "IMAGERY", number(b.wavelengthNm() / 1000));
      if (b.fwhmNm() != null) item(sb, "FWHM_UM", i, "IMAGERY", number(b.fwhmNm() / 1000));
      if (b.description() != null && !b.description().isEmpty()) {
        sb.append("  <Item name=\"DESCRIPTION\" sample=\"")
            .append(i)
            .append("\" role=\"description\">")
            .append(escape(b.description()))
            .append("</Item>\n");
      }
    }
    return sb.isEmpty() ? null : "<GDALMetadata>\n" + sb + "</GDALMetadata>";
  }

  private static void item(StringBuilder sb, String name, int sample, String domain, String v) {
    sb.append("  <Item name=\"").append(name).append("\" sample=\"").append(sample).append('"');
    if (domain != null) sb.append(" domain=\"").append(domain).append('"');
    sb.append('>').append(escape(v)).append("</Item>\n");
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') sb.append(' ');
          else sb.append(c);
        }
      }
    }
    return sb.toString();
  }

  /** A number as a header would write it: integral values without a fraction. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return Double.toString(v);
  }

  /** GDAL_NODATA text as GDAL formats it ({@code %.18g}, "nan", "inf", "-inf"). */
  static String nodata(double v) {
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    if (v == Math.rint(v) && Math.abs(v) < 1e18) return Long.toString((long) v);
    BigDecimal d = new BigDecimal(v).round(new MathContext(18)).stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1;
    if (exponent < -4 || exponent >= 18) {
      String digits = d.unscaledValue().abs().toString();
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return (d.signum() < 0 ? "-" : "")
          + mantissa
          + "e"
          + (exponent < 0 ? "-" : "+")
          + String.format("%02d", Math.abs(exponent));
    }
    return d.toPlainString();
  }
}
