package dev.hsipipeline.hsi;

/**
 * The normalized difference index {@code (a − b) / (a + b)} written as a float32 cube, and a
 * summary of its valid pixels (pixels where a or b is no-data or a + b = 0 are NaN).
 *
 * @param bandA band used for a (nearest good band to the requested wavelength)
 * @param bandB band used for b
 * @param wavelengthA its centre wavelength in nm
 * @param wavelengthB its centre wavelength in nm
 */
public record NdiResult(
    int bandA,
    int bandB,
    double wavelengthA,
    double wavelengthB,
    long validCount,
    double min,
    double max,
    double mean) {}
