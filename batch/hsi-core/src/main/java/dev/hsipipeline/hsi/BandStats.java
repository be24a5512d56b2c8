package dev.hsipipeline.hsi;

/**
 * Statistics of one band over its valid samples (not the data ignore value, not NaN/±Inf). {@code
 * std} is the population standard deviation. For a bad band ({@code bbl} = 0) or a band without
 * valid samples, count is 0 and min/max/mean/std are NaN.
 *
 * @param band zero-based band index
 * @param wavelengthNm centre wavelength in nm, NaN when unknown
 * @param good false when {@code bbl} marks the band bad (it is then not computed)
 */
public record BandStats(
    int band,
    double wavelengthNm,
    boolean good,
    long count,
    double min,
    double max,
    double mean,
    double std) {}
