package dev.hsipipeline.testkit.gdal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * GDAL as a test oracle: {@code gdalinfo -json} and Python scripts run by an interpreter that has
 * GDAL's bindings ({@code osgeo.gdal}, {@code osgeo.osr}; Debian's {@code /usr/bin/python3} by
 * default, {@code -Dgdal.python=...} or {@code GDAL_PYTHON} to choose another).
 */
public final class Gdal {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 120;

  /**
   * What {@link #probe()} found.
   *
   * @param available gdalinfo and the Python bindings both work
   * @param version GDAL's version (e.g. {@code 3.6.2}), or null
   * @param problem why it is not available, or null
   */
  public record Probe(boolean available, String version, String problem) {}

  private Gdal() {}

  /** The Python interpreter used for scripts. */
  public static String python() {
    String p = System.getProperty("gdal.python", System.getenv("GDAL_PYTHON"));
    return p != null && !p.isBlank() ? p : "/usr/bin/python3";
  }

  /** Whether gdalinfo and the Python bindings are usable here; checked once per JVM. */
  public static Probe probe() {
    return Once.PROBE;
  }

  private static final class Once {
    static final Probe PROBE = check();
  }

  private static Probe check() {
    try {
      run(List.of("gdalinfo", "--version"), null);
      String py =
          run(List.of(python(), "-c", "from osgeo import gdal, osr; print(gdal.__version__)"), null)
              .trim();
      return new Probe(true, py, null);
    } catch (RuntimeException e) {
      return new Probe(false, null, e.getMessage());
    }
  }

  /** True when {@link #probe()} finds GDAL. */
  public static boolean available() {
    return probe().available();
  }

  /** {@code gdalinfo -json <file>} parsed. */
  public static JsonNode info(Path file) {
    return parse(run(List.of("gdalinfo", "-json", file.toString()), null));
  }

  /**
   * Runs a Python script with GDAL's bindings; {@code input} is sent as its standard input (a
   * script reads it with {@code json.load(sys.stdin)}); returns what it printed, parsed as JSON.
   */
  public static JsonNode python(String script, Object input) {
    try {
      String stdin = input == null ? "" : JSON.writeValueAsString(input);
      return parse(run(List.of(python(), "-c", script), stdin));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("GDAL printed no JSON: " + text, e);
    }
  }

  /** Runs a command; its stdout, or an exception with its stderr when it fails. */
  static String run(List<String> command, String stdin) {
    try {
      Path err = Files.createTempFile("gdal-", ".err");
      try {
        Process p =
            new ProcessBuilder(new ArrayList<>(command))
                .redirectError(err.toFile())
                .redirectInput(
                    stdin == null
                        ? ProcessBuilder.Redirect.from(nullFile())
                        : ProcessBuilder.Redirect.PIPE)
                .start();
        CompletableFuture<String> out =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
        if (stdin != null) {
          try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(command.get(0) + " timed out");
        }
        String stdout = out.join();
        if (p.exitValue() != 0)
          throw new IllegalStateException(
              command.get(0) + " exited " + p.exitValue() + ": " + Files.readString(err).strip());
        return stdout;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException(command.get(0) + " cannot run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
