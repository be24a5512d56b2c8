package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.TruncatedDataException;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.processor.ProcessingRequest;
import dev.hsipipeline.processor.SceneProcessing;
import dev.hsipipeline.scenes.LocalScene;
import dev.hsipipeline.scenes.ProductOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline process <scene> <out-dir>}: the processor's products ({@link SceneProcessing},
 * the code the Batch job runs) from a local ENVI scene into a local directory, without the stack.
 */
@Command(
    name = "process",
    mixinStandardHelpOptions = true,
    description =
        "Compute the processor's products of a local ENVI scene (.hdr or its data file) into"
            + " OUT-DIR/<product-key>/, exactly as the processor job does.")
final class ProcessCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SCENE", description = "The ENVI header or data file.")
  Path scene;

  @Parameters(index = "1", paramLabel = "OUT-DIR", description = "Where the products go.")
  Path outDir;

  @Option(
      names = "--request",
      paramLabel = "JSON",
      description =
          "The processor message's product fields, e.g."
              + " '{\"products\":[\"ndi\"],\"ndi\":{\"a\":800,\"b\":600}}'. Default: every"
              + " product with its default parameters")
  String request = "{}";

  @Override
  public Integer call() throws IOException {
    JsonNode event;
    try {
      event = JSON.readTree(request);
    } catch (IOException e) {
      throw new IllegalArgumentException("--request is not JSON: " + e.getMessage());
    }
    if (event == null || !event.isObject())
      throw new IllegalArgumentException("--request must be a JSON object, got " + request);
    ProcessingRequest r;
    try {
      // HSI_THREADS / HSI_BLOCK_BYTES from the environment, as the job reads them.
      r = ProcessingRequest.from(event, JobEnv.from(Map.copyOf(System.getenv())));
    } catch (JobFailure e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    LocalScene s = LocalScene.open(scene);
    Path dir = outDir.resolve(r.key().value()).toAbsolutePath().normalize();
    Files.createDirectories(dir);
    SceneProcessing.Outcome outcome;
    long t0 = System.nanoTime();
    try {
      outcome =
          SceneProcessing.run(
              s.header(),
              s.source(),
              s.headerFile().toString(),
              r,
              ProductOutput.directory(dir),
              JSON);
    } catch (TruncatedDataException e) {
      throw new IllegalArgumentException("truncated data: " + s.dataFile() + ": " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "products %s of %s in %.1f s:%n",
        r.key().value(), s.headerFile(), (System.nanoTime() - t0) / 1e9);
    for (Map.Entry<String, String> e : outcome.written().entrySet()) {
      out.printf("  %-9s %s%n", e.getKey(), e.getValue());
      if (e.getKey().equals("ndi"))
        out.println("            " + RasterSummary.describe(outcome.ndiCog(), s.header()));
      if (e.getKey().equals("quicklook"))
        out.println("            " + RasterSummary.describe(outcome.quicklookCog(), s.header()));
    }
    return 0;
  }
}
