package dev.hsipipeline.hsi.cog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.testkit.gdal.Gdal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs gdal_oracle.py with the interpreter of the shared GDAL test kit and returns what it printed
 * (a script file with arguments: the comparisons take longer than the kit's inline-script timeout).
 */
final class GdalOracle {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GdalOracle() {}

  static JsonNode run(Path work, String... args) throws IOException, InterruptedException {
    Path script = work.resolve("gdal_oracle.py");
    if (!Files.exists(script)) {
      try (InputStream in = GdalOracle.class.getResourceAsStream("gdal_oracle.py")) {
        Files.copy(in, script);
      }
    }
    List<String> cmd = new ArrayList<>(List.of(Gdal.python(), script.toString()));
    cmd.addAll(List.of(args));
    Path errFile = Files.createTempFile(work, "oracle", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    int rc = p.waitFor();
    String err = Files.readString(errFile, StandardCharsets.UTF_8);
    Files.delete(errFile);
    if (rc != 0)
      throw new AssertionError("gdal_oracle.py " + String.join(" ", args) + " failed:\n" + err);
    return JSON.readTree(out);
  }
}
