package dev.hsipipeline.hsi.testdata.internal;

/**
 * The ground truth of a synthetic scene: surface reflectance of a meandering river (water) through
 * a patchwork of vegetated fields and bare soil, seen through an atmosphere with water-vapour
 * absorption, with a little illumination variation and sensor noise. Pure functions of (line,
 * sample, band) and the seed, so any interleave and any read order give the same values.
 */
public final class Landscape {
  private final int samples, lines;
  private final long seed;
  private final double[] vegetation, soil, water, transmittance;
  private final double[] fieldPattern;

  /**
   * @param wavelengthsNm band centres
   */
  public Landscape(int samples, int lines, double[] wavelengthsNm, long seed) {
    this.samples = samples;
    this.lines = lines;
    this.seed = seed;
    int bands = wavelengthsNm.length;
    vegetation = new double[bands];
    soil = new double[bands];
    water = new double[bands];
    transmittance = new double[bands];
    for (int b = 0; b < bands; b++) {
      double l = wavelengthsNm[b];
      vegetation[b] = vegetation(l);
      soil[b] = soil(l);
      water[b] = water(l);
      transmittance[b] =
          1
              - 0.92 * g(l, 1395, 35)
              - 0.97 * g(l, 1880, 50)
              - 0.5 * g(l, 2500, 40)
              - 0.25 * g(l, 940, 20)
              - 0.2 * g(l, 1135, 20);
    }
    fieldPattern = new double[samples];
    for (int x = 0; x < samples; x++)
      fieldPattern[x] = Math.sin(2 * Math.PI * x / Math.max(8.0, samples / 3.3));
  }

  /**
   * Whether a band lies in an atmospheric water absorption window (or beyond 2450 nm), where real
   * sensors deliver noise: ENVI's {@code bbl} marks these bad.
   */
  public static boolean isGoodBand(double wavelengthNm) {
    double l = wavelengthNm;
    return !((l >= 1340 && l <= 1450) || (l >= 1790 && l <= 1960) || l > 2450);
  }

  /** The no-data corner: a triangle at the top left, as a scene's edge after orthorectification. */
  public boolean isNoData(int line, int sample) {
    return sample + line < Math.min(samples, lines) / 8;
  }

  /** What a line shares across its samples and bands; computing it once per line is cheaper. */
  public Line line(int line) {
    return new Line(
        line,
        Math.cos(2 * Math.PI * line / Math.max(8.0, lines / 2.7)),
        samples * (0.3 + 0.1 * Math.sin(2 * Math.PI * 1.5 * line / lines)));
  }

  /**
   * Per-line terms of the landscape.
   *
   * @param index the line
   * @param fieldRow vertical factor of the field patchwork
   * @param riverCentre sample of the river's centre on this line
   */
  public record Line(int index, double fieldRow, double riverCentre) {}

  /** Surface reflectance (0..~0.6) at a sample and band of a line, before encoding. */
  public double reflectance(Line line, int x, int b) {
    int y = line.index();
    double half = Math.max(1.5, 0.04 * samples);
    double d = Math.abs(x - line.riverCentre());
    double waterFraction = clamp01(1 - (d - half) / Math.max(1, 0.02 * samples));
    double vegetationFraction =
        clamp01((0.5 + 0.5 * fieldPattern[x] * line.fieldRow()) * 1.4 - 0.2);
    double illumination = 0.9 + 0.2 * unit(hash(seed, x, y, -1));
    double r =
        (1 - waterFraction)
                * (vegetationFraction * vegetation[b] + (1 - vegetationFraction) * soil[b])
            + waterFraction * water[b];
    double noise = (unit(hash(seed, x, y, b)) + unit(hash(seed + 7, x, y, b)) - 1) * 0.004;
    return Math.max(0, r * illumination * transmittance[b] + noise);
  }

  // ------------------------------------------------------------ spectra

  private static double g(double l, double c, double w) {
    double t = (l - c) / w;
    return Math.exp(-t * t);
  }

  private static double sigmoid(double t) {
    return 1 / (1 + Math.exp(-t));
  }

  /** Green peak, red absorption, red edge, NIR plateau with leaf-water absorption. */
  private static double vegetation(double l) {
    double nir =
        0.48
            - 0.1 * Math.max(0, l - 1300) / 1200
            - 0.22 * g(l, 1450, 70)
            - 0.3 * g(l, 1940, 90)
            - 0.08 * g(l, 2500, 150);
    double visible = 0.03 + 0.05 * g(l, 550, 35) - 0.015 * g(l, 675, 20);
    double edge = sigmoid((l - 715) / 14);
    return Math.max(0.005, visible * (1 - edge) + nir * edge);
  }

  /** Rising slope with clay (2200 nm) and hydroxyl features. */
  private static double soil(double l) {
    return Math.max(
        0.01,
        0.08
            + 0.22 * (l - 400) / 2100
            + 0.05 * sigmoid((l - 600) / 80)
            - 0.03 * g(l, 2200, 40)
            - 0.04 * g(l, 1400, 50)
            - 0.05 * g(l, 1900, 60));
  }

  /** Dark, bluish, nearly black beyond 700 nm. */
  private static double water(double l) {
    double base = 0.015 + 0.05 * g(l, 480, 110);
    return l > 700 ? base * Math.exp(-(l - 700) / 90) + 0.002 : base;
  }

  private static double clamp01(double v) {
    return v < 0 ? 0 : Math.min(1, v);
  }

  /** SplitMix64 of the position: noise that does not depend on the order pixels are produced. */
  private static long hash(long seed, int x, int y, int b) {
    long z =
        seed * 0x9E3779B97F4A7C15L
            + x * 0xC2B2AE3D27D4EB4FL
            + y * 0x165667B19E3779F9L
            + b * 0x27D4EB2F165667C5L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
