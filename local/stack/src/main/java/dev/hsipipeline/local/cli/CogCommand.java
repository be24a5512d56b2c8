package dev.hsipipeline.local.cli;

import dev.hsipipeline.activator.Activation;
import dev.hsipipeline.hsi.TruncatedDataException;
import dev.hsipipeline.hsi.cog.CogResult;
import dev.hsipipeline.hsi.cog.CogSinks;
import dev.hsipipeline.scenes.LocalScene;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline cog <scene> <out.tif>}: the activator's conversion ({@link Activation#toCog}, the
 * code the Batch job runs) on local files, without the stack.
 */
@Command(
    name = "cog",
    mixinStandardHelpOptions = true,
    description =
        "Convert a local ENVI scene (.hdr or its data file) to the activated scene's"
            + " Cloud-Optimized GeoTIFF, exactly as the activator job does.")
final class CogCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SCENE", description = "The ENVI header or data file.")
  Path scene;

  @Parameters(index = "1", paramLabel = "OUT.tif", description = "The COG to write.")
  Path out;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Compression threads. Default: available processors")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws IOException {
    if (threads < 1 || threads > 256)
      throw new IllegalArgumentException("--threads must be in 1..256, got " + threads);
    LocalScene s = LocalScene.open(scene);
    long t0 = System.nanoTime();
    CogResult r;
    try {
      r = Activation.toCog(s.header(), s.source(), CogSinks.file(out), threads);
    } catch (TruncatedDataException e) {
      throw new IllegalArgumentException("truncated data: " + s.dataFile() + ": " + e.getMessage());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    PrintWriter pw = spec.commandLine().getOut();
    pw.printf(
        "wrote %s in %.1f s: %s%n",
        out.toAbsolutePath().normalize(), seconds, RasterSummary.describe(r, s.header()));
    return 0;
  }
}
