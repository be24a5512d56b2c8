package dev.hsipipeline.processor.internal;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.QuicklookResult;
import dev.hsipipeline.hsi.cog.CogRaster;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How each raster product is described as a COG: size, bands, nodata, georeferencing. */
public final class ProductRasters {
  private ProductRasters() {}

  /**
   * The NDI: float32, one band, NaN = no data, on the scene's grid.
   *
   * @param a band of the index's first wavelength, @param b of the second
   */
  public static CogRaster ndi(EnviHeader h, int a, int b) {
    String description =
        String.format(
            Locale.ROOT,
            "NDI (b%d - b%d)/(b%d + b%d), %s nm vs %s nm",
            a + 1,
            b + 1,
            a + 1,
            b + 1,
            nm(h.wavelengthNm(a)),
            nm(h.wavelengthNm(b)));
    return new CogRaster(
        h.samples(),
        h.lines(),
        DataType.FLOAT32,
        CogRaster.Photometric.GRAY,
        List.of(CogRaster.Band.named(description)),
        Double.NaN,
        h.georeferencing());
  }

  /**
   * The quicklook: three uint8 bands, RGB, 0 = no data; its pixels are {@code factor} × {@code
   * factor} scene pixels, so its grid is the scene's scaled by the factor (same top-left corner).
   */
  public static CogRaster quicklook(EnviHeader h, QuicklookResult q) {
    List<CogRaster.Band> bands = new ArrayList<>();
    String[] names = {"red", "green", "blue"};
    for (int c = 0; c < 3; c++) {
      int band = q.bands()[c];
      double wl = h.wavelengthNm(band);
      bands.add(
          new CogRaster.Band(
              names[c] + ": band " + (band + 1) + " (" + nm(wl) + " nm)",
              Double.isNaN(wl) ? null : wl,
              h.fwhmNm().isEmpty() ? null : h.fwhmNm().get(band)));
    }
    Optional<Georeferencing> geo =
        h.georeferencing()
            .map(g -> new Georeferencing(g.crs(), g.transform().scaled(q.factor(), q.factor())));
    return new CogRaster(
        q.width(), q.height(), DataType.UINT8, CogRaster.Photometric.RGB, bands, 0.0, geo);
  }

  /**
   * The quicklook's pixels as RGB bytes, pixel after pixel: no-data pixels (transparent in the PNG)
   * are 0, 0, 0 and the others have every channel at least 1, so 0 means no data in each band.
   */
  public static byte[] quicklookRgb(QuicklookResult q) {
    int[] argb = q.argb();
    byte[] rgb = new byte[argb.length * 3];
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      if (p >>> 24 == 0) continue;
      rgb[3 * i] = (byte) Math.max(1, (p >> 16) & 0xFF);
      rgb[3 * i + 1] = (byte) Math.max(1, (p >> 8) & 0xFF);
      rgb[3 * i + 2] = (byte) Math.max(1, p & 0xFF);
    }
    return rgb;
  }

  private static String nm(double v) {
    return Double.isNaN(v) ? "?" : String.format(Locale.ROOT, "%.1f", v);
  }
}
