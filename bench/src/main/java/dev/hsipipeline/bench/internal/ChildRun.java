package dev.hsipipeline.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fresh child process timed from spawn to exit, with its peak resident set size sampled from
 * {@code /proc/<pid>/status} (VmHWM, the kernel's own high-water mark) every 10 ms — works for any
 * program, a JVM or GDAL alike.
 *
 * @param wallMillis spawn to exit
 * @param peakRssKiB the highest VmHWM seen, -1 where /proc is not available
 * @param output stdout and stderr
 */
public record ChildRun(double wallMillis, long peakRssKiB, String output) {

  /** Runs {@code command}; throws with the output's tail unless it exits 0 in time. */
  public static ChildRun of(List<String> command, Map<String, String> env, Path log, long timeoutS)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    long peak = -1;
    try {
      while (!p.waitFor(10, TimeUnit.MILLISECONDS)) {
        peak = Math.max(peak, vmHwm(status));
        if (System.nanoTime() - t0 > timeoutS * 1_000_000_000L) {
          p.destroyForcibly();
          throw new IllegalStateException(
              "timed out after " + timeoutS + " s: " + command + "\n" + Processes.tail(log));
        }
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    double wall = (System.nanoTime() - t0) / 1e6;
    if (p.exitValue() != 0)
      throw new IllegalStateException(
          "exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + Processes.tail(log));
    return new ChildRun(wall, peak, Files.readString(log));
  }

  private static long vmHwm(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process is exiting: keep the last sample
    }
    return -1;
  }
}
