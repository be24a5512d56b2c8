package dev.hsipipeline.stac;

/**
 * One {@code eo:bands} entry: name and, when known, centre wavelength and FWHM in micrometres (the
 * EO extension's unit; ENVI headers in nanometres are converted by {@link #fromNanometres}).
 *
 * @param name band name
 * @param centerWavelengthUm centre wavelength in µm, or NaN when unknown
 * @param fwhmUm full width at half maximum in µm, or NaN when unknown
 */
public record EoBand(String name, double centerWavelengthUm, double fwhmUm) {
  /** A band from nanometre values (NaN for unknown). */
  public static EoBand fromNanometres(String name, double centerNm, double fwhmNm) {
    return new EoBand(name, centerNm / 1000.0, fwhmNm / 1000.0);
  }
}
