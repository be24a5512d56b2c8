package dev.hsipipeline.bench.probe;

import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.cog.CogOptions;
import dev.hsipipeline.hsi.cog.CogResult;
import dev.hsipipeline.hsi.cog.CogSinks;
import dev.hsipipeline.hsi.cog.EnviToCog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark 6's converter in a fresh JVM: {@code CogConvert <scene.hdr> <scene.img> <out.tif>
 * <PIXEL|BAND> <level> <tile>}, georeferenced as the header says; prints {@code RESULT
 * {"bytes":…}}.
 */
public final class CogConvert {
  private CogConvert() {}

  public static void main(String[] args) throws Exception {
    EnviHeader h =
        EnviHeader.parse(Files.readString(Path.of(args[0]), StandardCharsets.US_ASCII), args[0]);
    CogOptions o =
        CogOptions.defaults()
            .withInterleave(CogOptions.Interleave.valueOf(args[3]))
            .withLevel(Integer.parseInt(args[4]))
            .withTileSize(Integer.parseInt(args[5]));
    CogResult r =
        EnviToCog.convert(
            h, CubeSource.ofFile(Path.of(args[1])), o, CogSinks.file(Path.of(args[2])));
    System.out.println("RESULT {\"bytes\":" + r.bytes() + ",\"bigTiff\":" + r.bigTiff() + "}");
  }
}
