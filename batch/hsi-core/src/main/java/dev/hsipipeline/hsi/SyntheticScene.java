package dev.hsipipeline.hsi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A deterministic synthetic hyperspectral scene: a meandering river (water) through a patchwork of
 * vegetated fields and bare soil, with AVIRIS-like wavelengths (400–2500 nm), atmospheric water
 * absorption bands flagged in {@code bbl}, a no-data corner and a little sensor noise. The same
 * {@link Spec} always yields the same bytes, in any interleave.
 *
 * <pre>{@code
 * SyntheticScene scene = SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(512, 512, 224));
 * SyntheticScene.Uploaded up = scene.upload(s3, "hsi-data", "scenes/demo");
 * // up.headerUri() = "s3://hsi-data/scenes/demo.hdr", up.dataUri() = "s3://hsi-data/scenes/demo.img"
 * }</pre>
 */
public final class SyntheticScene {
  private static final byte[] OFFSET_FILL =
      "HSI-SYNTHETIC-HEADER-OFFSET ".getBytes(StandardCharsets.US_ASCII);

  /**
   * Scene parameters.
   *
   * @param headerOffset bytes of filler before the cube in the data object
   * @param seed noise seed
   */
  public record Spec(
      int samples,
      int lines,
      int bands,
      Interleave interleave,
      DataType dataType,
      ByteOrder byteOrder,
      long headerOffset,
      long seed) {
    /** Validates. */
    public Spec {
      if (samples < 1 || lines < 1 || bands < 1)
        throw new IllegalArgumentException("samples, lines and bands must be >= 1");
      if (headerOffset < 0) throw new IllegalArgumentException("headerOffset must be >= 0");
      if (interleave == null || dataType == null || byteOrder == null)
        throw new IllegalArgumentException("interleave, dataType and byteOrder are required");
    }

    /** 256 × 256 × 224, BIL, int16 little endian, no header offset, seed 1 (≈ 29 MB). */
    public static Spec defaults() {
      return new Spec(256, 256, 224, Interleave.BIL, DataType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 1);
    }

    /** Same spec with another geometry. */
    public Spec withSize(int s, int l, int b) {
      return new Spec(s, l, b, interleave, dataType, byteOrder, headerOffset, seed);
    }

    /** Same spec with another interleave. */
    public Spec withInterleave(Interleave i) {
      return new Spec(samples, lines, bands, i, dataType, byteOrder, headerOffset, seed);
    }

    /** Same spec with another data type. */
    public Spec withDataType(DataType t) {
      return new Spec(samples, lines, bands, interleave, t, byteOrder, headerOffset, seed);
    }

    /** Same spec with another byte order. */
    public Spec withByteOrder(ByteOrder o) {
      return new Spec(samples, lines, bands, interleave, dataType, o, headerOffset, seed);
    }

    /** Same spec with a header offset. */
    public Spec withHeaderOffset(long off) {
      return new Spec(samples, lines, bands, interleave, dataType, byteOrder, off, seed);
    }

    /** Same spec with another noise seed. */
    public Spec withSeed(long s) {
      return new Spec(samples, lines, bands, interleave, dataType, byteOrder, headerOffset, s);
    }
  }

  /** Where {@link #upload} put the scene. */
  public record Uploaded(String bucket, String headerKey, String dataKey, long dataBytes) {
    /** {@code s3://bucket/<base>.hdr} */
    public String headerUri() {
      return "s3://" + bucket + "/" + headerKey;
    }

    /** {@code s3://bucket/<base>.img} */
    public String dataUri() {
      return "s3://" + bucket + "/" + dataKey;
    }
  }

  private final Spec spec;
  private final EnviHeader header;
  private final double[] veg, soil, water, tau;
  private final double[] sinX;
  private final double ignore;

  private SyntheticScene(Spec spec) {
    this.spec = spec;
    int nb = spec.bands();
    double[] wl = new double[nb];
    List<Double> wavelengths = new ArrayList<>(nb), fwhm = new ArrayList<>(nb);
    List<Boolean> bbl = new ArrayList<>(nb);
    double step = nb == 1 ? 0 : 2100.0 / (nb - 1);
    veg = new double[nb];
    soil = new double[nb];
    water = new double[nb];
    tau = new double[nb];
    for (int b = 0; b < nb; b++) {
      double l = nb == 1 ? 650 : 400 + b * step;
      wl[b] = l;
      wavelengths.add(Math.round(l * 100) / 100.0);
      fwhm.add(Math.round(Math.max(step, 1) * 1.1 * 100) / 100.0);
      veg[b] = vegetation(l);
      soil[b] = soil(l);
      water[b] = water(l);
      tau[b] =
          1
              - 0.92 * g(l, 1395, 35)
              - 0.97 * g(l, 1880, 50)
              - 0.5 * g(l, 2500, 40)
              - 0.25 * g(l, 940, 20)
              - 0.2 * g(l, 1135, 20);
      bbl.add(!((l >= 1340 && l <= 1450) || (l >= 1790 && l <= 1960) || l > 2450));
    }
    sinX = new double[spec.samples()];
    for (int x = 0; x < spec.samples(); x++)
      sinX[x] = Math.sin(2 * Math.PI * x / Math.max(8.0, spec.samples() / 3.3));
    ignore =
        switch (spec.dataType()) {
          case UINT8 -> 0;
          case UINT16 -> 65535;
          case INT16, FLOAT32 -> -9999;
        };
    header =
        new EnviHeader(
            spec.samples(),
            spec.lines(),
            nb,
            spec.headerOffset(),
            spec.dataType(),
            spec.interleave(),
            spec.byteOrder(),
            wavelengths,
            "Nanometers",
            fwhm,
            ignore,
            bbl,
            List.of(),
            String.format(
                Locale.ROOT,
                "synthetic scene seed=%d: river, vegetation, soil; %s reflectance",
                spec.seed(),
                scaleText(spec.dataType())),
            Map.of("sensor type", "synthetic AVIRIS-like"));
  }

  private static String scaleText(DataType t) {
    return switch (t) {
      case UINT8 -> "1 + 250 x";
      case INT16, UINT16 -> "10000 x";
      case FLOAT32 -> "1.0 x";
    };
  }

  /** The scene for a spec. */
  public static SyntheticScene of(Spec spec) {
    return new SyntheticScene(spec);
  }

  /** Its spec. */
  public Spec spec() {
    return spec;
  }

  /** Its ENVI header. */
  public EnviHeader header() {
    return header;
  }

  /** The header text. */
  public String headerText() {
    return header.toText();
  }

  /** Size of the data object in bytes (header offset included). */
  public long dataObjectSize() {
    return header.expectedObjectSize();
  }

  /** Surface reflectance (0..~0.6) at a pixel and band, before encoding; the ground truth. */
  public double reflectance(int line, int sample, int band) {
    double cy = Math.cos(2 * Math.PI * line / Math.max(8.0, spec.lines() / 2.7));
    double center =
        spec.samples() * (0.3 + 0.1 * Math.sin(2 * Math.PI * 1.5 * line / spec.lines()));
    return reflectance(line, sample, band, cy, center);
  }

  private double reflectance(int y, int x, int b, double cy, double riverCenter) {
    double half = Math.max(1.5, 0.04 * spec.samples());
    double d = Math.abs(x - riverCenter);
    double fw = clamp01(1 - (d - half) / Math.max(1, 0.02 * spec.samples()));
    double fv = clamp01((0.5 + 0.5 * sinX[x] * cy) * 1.4 - 0.2);
    double illum = 0.9 + 0.2 * unit(hash(spec.seed(), x, y, -1));
    double r = (1 - fw) * (fv * veg[b] + (1 - fv) * soil[b]) + fw * water[b];
    double noise =
        (unit(hash(spec.seed(), x, y, b)) + unit(hash(spec.seed() + 7, x, y, b)) - 1) * 0.004;
    return Math.max(0, r * illum * tau[b] + noise);
  }

  private boolean noData(int y, int x) {
    return x + y < Math.min(spec.samples(), spec.lines()) / 8;
  }

  /** Writes the encoded value of one sample at {@code pos}. */
  private void encode(ByteBuffer buf, int y, int x, int b, double cy, double center) {
    boolean nd = noData(y, x);
    double r = nd ? 0 : reflectance(y, x, b, cy, center);
    switch (spec.dataType()) {
      case UINT8 -> buf.put((byte) (nd ? 0 : Math.min(255, 1 + Math.round(r * 250))));
      case INT16 -> buf.putShort((short) (nd ? -9999 : Math.min(32767, Math.round(r * 10000))));
      case UINT16 -> buf.putShort((short) (nd ? 65535 : Math.min(65534, Math.round(r * 10000))));
      case FLOAT32 -> buf.putFloat(nd ? -9999f : (float) r);
    }
  }

  /** The data object as a stream (header offset filler, then the cube in file order). */
  public InputStream openData() {
    return new DataStream();
  }

  /** Writes {@code <dir>/<name>.hdr} and {@code <dir>/<name>.img}; returns the header path. */
  public Path writeTo(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path hdr = dir.resolve(name + ".hdr");
    Files.writeString(hdr, headerText(), StandardCharsets.US_ASCII);
    try (InputStream in = openData();
        OutputStream out = Files.newOutputStream(dir.resolve(name + ".img"))) {
      in.transferTo(out);
    }
    return hdr;
  }

  /**
   * Uploads the scene as {@code <baseKey>.hdr} and {@code <baseKey>.img}, streaming the data (no
   * whole-cube buffer).
   *
   * @param s3 a client for the target S3 (path-style for local endpoints)
   * @param bucket target bucket (must exist)
   * @param baseKey key without extension, e.g. {@code scenes/demo}
   */
  public Uploaded upload(S3Client s3, String bucket, String baseKey) {
    String hdrKey = baseKey + ".hdr", dataKey = baseKey + ".img";
    s3.putObject(
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(dataKey)
            .contentType("application/octet-stream")
            .build(),
        RequestBody.fromContentProvider(
            this::openData, dataObjectSize(), "application/octet-stream"));
    // Header last: a listener keyed on .hdr never sees a header without its data.
    s3.putObject(
        PutObjectRequest.builder().bucket(bucket).key(hdrKey).contentType("text/plain").build(),
        RequestBody.fromString(headerText(), StandardCharsets.US_ASCII));
    return new Uploaded(bucket, hdrKey, dataKey, dataObjectSize());
  }

  /** Generates the file row by row: BSQ/BIL rows are one band of one line, BIP rows one line. */
  private final class DataStream extends InputStream {
    private final int rowValues =
        spec.interleave() == Interleave.BIP ? spec.samples() * spec.bands() : spec.samples();
    private final ByteBuffer row =
        ByteBuffer.allocate(rowValues * spec.dataType().bytes()).order(spec.byteOrder());
    private final long rows =
        spec.interleave() == Interleave.BIP ? spec.lines() : (long) spec.lines() * spec.bands();
    private long offsetLeft = spec.headerOffset();
    private long nextRow;

    DataStream() {
      row.limit(0);
    }

    private boolean fill() {
      if (nextRow >= rows) return false;
      row.clear();
      int y, b;
      switch (spec.interleave()) {
        case BSQ -> {
          b = (int) (nextRow / spec.lines());
          y = (int) (nextRow % spec.lines());
        }
        case BIL -> {
          y = (int) (nextRow / spec.bands());
          b = (int) (nextRow % spec.bands());
        }
        default -> {
          y = (int) nextRow;
          b = -1;
        }
      }
      double cy = Math.cos(2 * Math.PI * y / Math.max(8.0, spec.lines() / 2.7));
      double center = spec.samples() * (0.3 + 0.1 * Math.sin(2 * Math.PI * 1.5 * y / spec.lines()));
      if (b >= 0) {
        for (int x = 0; x < spec.samples(); x++) encode(row, y, x, b, cy, center);
      } else {
        for (int x = 0; x < spec.samples(); x++)
          for (int bb = 0; bb < spec.bands(); bb++) encode(row, y, x, bb, cy, center);
      }
      row.flip();
      nextRow++;
      return true;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] dst, int off, int len) {
      if (len == 0) return 0;
      if (offsetLeft > 0) {
        int n = (int) Math.min(len, offsetLeft);
        long pos = spec.headerOffset() - offsetLeft;
        for (int i = 0; i < n; i++)
          dst[off + i] = OFFSET_FILL[(int) ((pos + i) % OFFSET_FILL.length)];
        offsetLeft -= n;
        return n;
      }
      if (!row.hasRemaining() && !fill()) return -1;
      int n = Math.min(len, row.remaining());
      row.get(dst, off, n);
      return n;
    }
  }

  // ------------------------------------------------------------ spectra

  private static double g(double l, double c, double w) {
    double t = (l - c) / w;
    return Math.exp(-t * t);
  }

  private static double sigmoid(double t) {
    return 1 / (1 + Math.exp(-t));
  }

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

  private static double water(double l) {
    double base = 0.015 + 0.05 * g(l, 480, 110);
    return l > 700 ? base * Math.exp(-(l - 700) / 90) + 0.002 : base;
  }

  private static double clamp01(double v) {
    return v < 0 ? 0 : Math.min(1, v);
  }

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
