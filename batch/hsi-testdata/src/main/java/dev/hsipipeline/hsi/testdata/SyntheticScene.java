package dev.hsipipeline.hsi.testdata;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.testdata.internal.CubeStream;
import dev.hsipipeline.hsi.testdata.internal.Landscape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * vegetated fields and bare soil, with AVIRIS-like wavelengths (224 bands from 380 to 2510 nm by
 * default), atmospheric water absorption bands flagged in {@code bbl}, a no-data corner and a
 * little sensor noise. The same {@link Spec} always yields the same bytes, in any interleave.
 *
 * <p>Georeferenced by default like an AVIRIS scene (WGS 84 / UTM zone 11N, 15 m pixels); {@link
 * Placement} also offers a rotated grid (AVIRIS-NG), geographic coordinates, and none.
 *
 * <p>Test data: tests, {@code ./pipeline sample-scene} / {@code demo} and the benchmarks use it; no
 * job jar depends on this module (ADR 0103).
 *
 * <pre>{@code
 * SyntheticScene scene = SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(512, 512, 224));
 * SyntheticScene.Uploaded up = scene.upload(s3, "hsi-data", "scenes/demo");
 * // up.headerUri() = "s3://hsi-data/scenes/demo.hdr", up.dataUri() = "s3://hsi-data/scenes/demo.img"
 * }</pre>
 */
public final class SyntheticScene {
  /** Wavelength of the first and last band, as AVIRIS-classic's 224 channels span. */
  static final double FIRST_NM = 380, LAST_NM = 2510;

  /**
   * Scene parameters.
   *
   * @param samples pixels per line
   * @param lines lines
   * @param bands bands, spread evenly from 380 to 2510 nm (one band: 650 nm)
   * @param interleave sample order of the data object
   * @param dataType sample encoding (reflectance scaled as the header's description says)
   * @param byteOrder byte order of multi-byte samples
   * @param headerOffset bytes of filler before the cube in the data object
   * @param seed noise seed
   * @param placement where the scene lies on the Earth ({@code map info})
   */
  public record Spec(
      int samples,
      int lines,
      int bands,
      Interleave interleave,
      DataType dataType,
      ByteOrder byteOrder,
      long headerOffset,
      long seed,
      Placement placement) {
    /** Validates. */
    public Spec {
      if (samples < 1 || lines < 1 || bands < 1)
        throw new IllegalArgumentException("samples, lines and bands must be >= 1");
      if (headerOffset < 0) throw new IllegalArgumentException("headerOffset must be >= 0");
      if (interleave == null || dataType == null || byteOrder == null || placement == null)
        throw new IllegalArgumentException(
            "interleave, dataType, byteOrder and placement are required");
    }

    /**
     * 256 × 256 × 224, BIL, int16 little endian, no header offset, seed 1, WGS 84 / UTM zone 11N
     * with 15 m pixels (≈ 29 MB).
     */
    public static Spec defaults() {
      return new Spec(
          256,
          256,
          224,
          Interleave.BIL,
          DataType.INT16,
          ByteOrder.LITTLE_ENDIAN,
          0,
          1,
          Placement.UTM);
    }

    /** Same spec with another geometry. */
    public Spec withSize(int s, int l, int b) {
      return new Spec(s, l, b, interleave, dataType, byteOrder, headerOffset, seed, placement);
    }

    /** Same spec with another interleave. */
    public Spec withInterleave(Interleave i) {
      return new Spec(samples, lines, bands, i, dataType, byteOrder, headerOffset, seed, placement);
    }

    /** Same spec with another data type. */
    public Spec withDataType(DataType t) {
      return new Spec(
          samples, lines, bands, interleave, t, byteOrder, headerOffset, seed, placement);
    }

    /** Same spec with another byte order. */
    public Spec withByteOrder(ByteOrder o) {
      return new Spec(
          samples, lines, bands, interleave, dataType, o, headerOffset, seed, placement);
    }

    /** Same spec with a header offset. */
    public Spec withHeaderOffset(long off) {
      return new Spec(samples, lines, bands, interleave, dataType, byteOrder, off, seed, placement);
    }

    /** Same spec with another noise seed. */
    public Spec withSeed(long s) {
      return new Spec(
          samples, lines, bands, interleave, dataType, byteOrder, headerOffset, s, placement);
    }

    /** Same spec placed elsewhere on the Earth, or nowhere ({@link Placement#NONE}). */
    public Spec withPlacement(Placement p) {
      return new Spec(
          samples, lines, bands, interleave, dataType, byteOrder, headerOffset, seed, p);
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
  private final Landscape landscape;

  private SyntheticScene(Spec spec) {
    this.spec = spec;
    int nb = spec.bands();
    double step = nb == 1 ? 0 : (LAST_NM - FIRST_NM) / (nb - 1);
    double[] nm = new double[nb];
    List<Double> wavelengths = new ArrayList<>(nb), fwhm = new ArrayList<>(nb);
    List<Boolean> bbl = new ArrayList<>(nb);
    for (int b = 0; b < nb; b++) {
      nm[b] = nb == 1 ? 650 : FIRST_NM + b * step;
      wavelengths.add(Math.round(nm[b] * 100) / 100.0);
      fwhm.add(Math.round(Math.max(step, 1) * 1.1 * 100) / 100.0);
      bbl.add(Landscape.isGoodBand(nm[b]));
    }
    landscape = new Landscape(spec.samples(), spec.lines(), nm, spec.seed());
    header =
        EnviHeader.builder()
            .size(spec.samples(), spec.lines(), nb)
            .headerOffset(spec.headerOffset())
            .dataType(spec.dataType())
            .interleave(spec.interleave())
            .byteOrder(spec.byteOrder())
            .wavelengthsNm(wavelengths)
            .fwhmNm(fwhm)
            .dataIgnoreValue(CubeStream.noDataValue(spec.dataType()))
            .goodBands(bbl)
            .description(
                String.format(
                    Locale.ROOT,
                    "synthetic scene seed=%d: river, vegetation, soil; %s reflectance",
                    spec.seed(),
                    CubeStream.scaleText(spec.dataType())))
            .extra(Map.of("sensor type", "synthetic AVIRIS-like"))
            .georeferencing(spec.placement().georeferencing().orElse(null))
            .build();
  }

  /** The scene for a spec. */
  public static SyntheticScene of(Spec spec) {
    return new SyntheticScene(spec);
  }

  public Spec spec() {
    return spec;
  }

  /** Its ENVI header, {@code map info} included unless the placement is {@link Placement#NONE}. */
  public EnviHeader header() {
    return header;
  }

  /** {@link #header()} in ENVI syntax, as {@code writeTo} and {@code upload} store it. */
  public String headerText() {
    return header.toText();
  }

  /** Size of the data object in bytes (header offset included). */
  public long dataObjectSize() {
    return header.expectedObjectSize();
  }

  /** Surface reflectance (0..~0.6) at a pixel and band, before encoding; the ground truth. */
  public double reflectance(int line, int sample, int band) {
    return landscape.reflectance(landscape.line(line), sample, band);
  }

  /** The data object as a stream (header offset filler, then the cube in file order). */
  public InputStream openData() {
    return new CubeStream(header, landscape);
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
}
