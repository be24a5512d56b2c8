package dev.hsipipeline.local.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.local.StackSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's vendored layout library is exactly the npm release that {@code
 * local/stack/console-vendor/package-lock.json} pins (ADR 0151): the build itself never runs npm,
 * so this is where a hand-edited or stale copy is caught.
 */
class VendoredLibrariesTest {

  private static final Path REPO = StackSettings.findRepoRoot();
  private static final Path PINS = REPO.resolve("local/stack/console-vendor");
  private static final Path VENDOR = REPO.resolve("local/stack/src/main/resources/console/vendor");

  @Test
  void theVendoredDagreIsThePinnedVersionWithItsLicence() throws IOException {
    String pinned =
        new ObjectMapper()
            .readTree(PINS.resolve("package.json").toFile())
            .path("dependencies")
            .path("@dagrejs/dagre")
            .asText();
    assertTrue(pinned.matches("\\d+\\.\\d+\\.\\d+"), "an exact version is pinned: " + pinned);
    String library = Files.readString(VENDOR.resolve("dagre.esm.js"));
    assertTrue(
        library.contains("=\"" + pinned + "\""),
        "vendor/dagre.esm.js does not declare version " + pinned);
    assertTrue(
        Files.readString(VENDOR.resolve("dagre.LICENSE.txt"))
            .contains("Permission is hereby granted, free of charge"),
        "the MIT licence travels with the vendored file");
  }

  @Test
  void theVendoredFilesAreByteForByteTheNpmRelease(@TempDir Path work) throws Exception {
    assumeTrue(
        runs(List.of("npm", "--version"), work),
        "npm is not installed: the vendored files were not compared with the npm release");
    Files.copy(PINS.resolve("package.json"), work.resolve("package.json"));
    Files.copy(PINS.resolve("package-lock.json"), work.resolve("package-lock.json"));
    if (!runs(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), work)) {
      String why = "npm ci failed (is the registry reachable?): " + Files.readString(log(work));
      if ("true".equals(System.getenv("CI"))) {
        fail(why); // CI has the registry: the check must run there
      }
      assumeTrue(false, why);
    }
    Path release = work.resolve("node_modules/@dagrejs/dagre");
    assertArrayEquals(
        Files.readAllBytes(release.resolve("dist/dagre.esm.js")),
        Files.readAllBytes(VENDOR.resolve("dagre.esm.js")),
        "vendor/dagre.esm.js differs from the pinned release: run console-vendor/update.sh");
    assertEquals(
        Files.readString(release.resolve("LICENSE")),
        Files.readString(VENDOR.resolve("dagre.LICENSE.txt")),
        "vendor/dagre.LICENSE.txt");
  }

  private static boolean runs(List<String> command, Path dir) throws Exception {
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log(dir).toFile())
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false; // not installed
    }
  }

  private static Path log(Path dir) {
    return dir.resolve("command.log");
  }
}
