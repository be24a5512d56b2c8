package dev.hsipipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return BenchMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsTheCommandsAndEachCommandsOptions() {
    assertEquals(0, run("--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("bench") && help.contains("soak"), help);
    assertEquals(0, run("bench", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--only=NAME"), out.toString());
  }

  @Test
  void badArgumentsAreRejectedWithExitCode2AndTheReason() {
    assertEquals(2, run("bench", "--only", "cold,nope"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("unknown benchmark 'nope'"),
        err.toString(StandardCharsets.UTF_8));
    assertEquals(2, run("bench", "--runs", "0"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--runs must be a positive integer"));
    assertEquals(2, run("soak", "--messages"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .contains("Missing required parameter for option '--messages'"),
        err.toString(StandardCharsets.UTF_8));
    assertEquals(2, run("frobnicate"));
    assertEquals(2, run(), "no command");
  }
}
