package dev.hsipipeline.bench.probe;

import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.cog.CogOptions;
import dev.hsipipeline.hsi.cog.CogResult;
import dev.hsipipeline.hsi.cog.CogSinks;
import dev.hsipipeline.hsi.cog.EnviToCog;
import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Benchmark 6's converter in a fresh JVM: {@code CogConvert <scene.hdr> <scene.img> <out.tif>
 * <PIXEL|BAND> <level> <tile> [<epsg> <gt0,...,gt5>]}; prints {@code RESULT {"bytes":…}}.
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
    Optional<Georeferencing> g = Optional.empty();
    if (args.length > 7) {
      String[] t = args[7].split(",");
      double[] gt = new double[6];
      for (int i = 0; i < 6; i++) gt[i] = Double.parseDouble(t[i]);
      int epsg = Integer.parseInt(args[6]);
      g = Optional.of(new Georeferencing(new Crs(epsg, "EPSG:" + epsg), GeoTransform.ofGdal(gt)));
    }
    CogResult r =
        EnviToCog.convert(
            h, g, CubeSource.ofFile(Path.of(args[1])), o, CogSinks.file(Path.of(args[2])));
    System.out.println("RESULT {\"bytes\":" + r.bytes() + ",\"bigTiff\":" + r.bigTiff() + "}");
  }
}
