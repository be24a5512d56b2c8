package dev.hsipipeline.local.cli;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.testdata.Placement;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import java.io.PrintWriter;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code pipeline sample-scene}: writes a deterministic synthetic ENVI scene into the local S3. */
@Command(
    name = "sample-scene",
    mixinStandardHelpOptions = true,
    description =
        "Write a deterministic synthetic hyperspectral scene (ENVI .hdr + .img) to the running stack's S3.")
final class SampleSceneCommand implements Callable<Integer> {
  @ParentCommand PipelineCli parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--samples",
      paramLabel = "N",
      description = "Pixels per line. Default: ${DEFAULT-VALUE}")
  int samples = 256;

  @Option(names = "--lines", paramLabel = "N", description = "Lines. Default: ${DEFAULT-VALUE}")
  int lines = 256;

  @Option(
      names = "--bands",
      paramLabel = "N",
      description = "Bands, spread over 380-2510 nm like AVIRIS. Default: ${DEFAULT-VALUE}")
  int bands = 224;

  @Option(
      names = "--interleave",
      paramLabel = "I",
      description = "bsq, bil or bip. Default: ${DEFAULT-VALUE}",
      converter = InterleaveConverter.class)
  Interleave interleave = Interleave.BIL;

  @Option(
      names = "--data-type",
      paramLabel = "T",
      description = "uint8, int16, uint16 or float32. Default: int16",
      converter = DataTypeConverter.class)
  DataType dataType = DataType.INT16;

  @Option(
      names = "--byte-order",
      paramLabel = "O",
      description = "little or big. Default: ${DEFAULT-VALUE}")
  String byteOrder = "little";

  @Option(
      names = "--header-offset",
      paramLabel = "BYTES",
      description = "Filler bytes before the cube. Default: ${DEFAULT-VALUE}")
  long headerOffset = 0;

  @Option(
      names = "--georef",
      paramLabel = "G",
      description =
          "Where the scene lies (its map info): utm (WGS 84 / UTM zone 11N, 15 m pixels),"
              + " rotated (the same grid rotated 18 degrees, as AVIRIS-NG), geographic"
              + " (WGS 84 lon/lat) or none. Default: utm",
      converter = PlacementConverter.class)
  Placement placement = Placement.UTM;

  @Option(names = "--seed", paramLabel = "N", description = "Noise seed. Default: ${DEFAULT-VALUE}")
  long seed = 1;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Object name under scenes/. Default: ${DEFAULT-VALUE}")
  String name = "sample";

  @Option(names = "--send", description = "Also send the activator message for it.")
  boolean send;

  @Override
  public Integer call() {
    if (!name.matches("[A-Za-z0-9._/-]{1,200}") || name.contains("..")) {
      throw new IllegalArgumentException(
          "--name must be 1-200 of [A-Za-z0-9._/-], got '" + name + "'");
    }
    ByteOrder order =
        switch (byteOrder.toLowerCase(Locale.ROOT)) {
          case "little", "le", "0" -> ByteOrder.LITTLE_ENDIAN;
          case "big", "be", "1" -> ByteOrder.BIG_ENDIAN;
          default ->
              throw new IllegalArgumentException(
                  "--byte-order must be little or big, got '" + byteOrder + "'");
        };
    SyntheticScene scene =
        SyntheticScene.of(
            new SyntheticScene.Spec(
                samples, lines, bands, interleave, dataType, order, headerOffset, seed, placement));
    PrintWriter out = spec.commandLine().getOut();
    try (RemoteStack stack = RemoteStack.connect(parent.dataDir())) {
      String bucket = stack.get("DATA_BUCKET") != null ? stack.get("DATA_BUCKET") : "hsi-data";
      S3Client s3 = stack.s3();
      SyntheticScene.Uploaded up = stack.call(() -> scene.upload(s3, bucket, "scenes/" + name));
      out.printf(
          "wrote %s (%d x %d x %d %s %s, %.1f MB, %s) and %s%n",
          up.dataUri(),
          samples,
          lines,
          bands,
          interleave.label(),
          dataType.name().toLowerCase(Locale.ROOT),
          up.dataBytes() / 1e6,
          placement.description(),
          up.headerUri());
      String body = "{\"scene\":\"" + up.headerUri() + "\"}";
      if (send) {
        String url = stack.queueUrl("activator");
        String id =
            stack.call(
                () -> stack.sqs().sendMessage(b -> b.queueUrl(url).messageBody(body)).messageId());
        out.println("sent to activator queue: MessageId " + id);
      } else {
        out.println("process it with: ./pipeline send activator '" + body + "'");
      }
      return 0;
    }
  }

  static final class PlacementConverter implements ITypeConverter<Placement> {
    @Override
    public Placement convert(String value) {
      return Placement.parse(value);
    }
  }

  static final class InterleaveConverter implements ITypeConverter<Interleave> {
    @Override
    public Interleave convert(String value) {
      Interleave i = Interleave.parse(value);
      if (i == null) {
        throw new IllegalArgumentException("unknown interleave '" + value + "' (bsq, bil, bip)");
      }
      return i;
    }
  }

  static final class DataTypeConverter implements ITypeConverter<DataType> {
    @Override
    public DataType convert(String value) {
      for (DataType t : DataType.values()) {
        if (t.name().equalsIgnoreCase(value.strip())) {
          return t;
        }
      }
      throw new IllegalArgumentException(
          "unknown data type '" + value + "' (uint8, int16, uint16, float32)");
    }
  }
}
