package dev.hsipipeline.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Child processes for benchmarks: timed runs, {@code RESULT {json}} lines, probe jars. */
public final class Processes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Processes() {}

  /** A finished child: exit code, wall time from spawn to exit, its output and parsed RESULT. */
  public record Run(int exitCode, double wallMillis, String output, JsonNode result) {}

  /**
   * Runs {@code command} with {@code env} added to a minimal environment (PATH, HOME, LANG), output
   * to {@code log}; wall time is measured from {@code start()} to exit.
   *
   * @throws IllegalStateException on timeout, non-zero exit or a missing RESULT line, with the
   *     output's tail
   */
  public static Run run(
      List<String> command, Map<String, String> env, Path log, long timeoutSeconds) {
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> penv = pb.environment();
    Map<String, String> keep = new java.util.HashMap<>();
    for (String k : List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")) {
      if (penv.containsKey(k)) {
        keep.put(k, penv.get(k));
      }
    }
    penv.clear();
    penv.putAll(keep);
    penv.putAll(env);
    try {
      long t0 = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "timed out after "
                + timeoutSeconds
                + " s: "
                + String.join(" ", command)
                + "\n"
                + tail(log));
      }
      double wall = (System.nanoTime() - t0) / 1e6;
      String out = Files.readString(log);
      // Two result protocols: "RESULT {json}" (ours) and "RESULT <name> <value>" lines (the
      // engine's and trigger's scripts), merged into one object.
      JsonNode result = null;
      com.fasterxml.jackson.databind.node.ObjectNode named = JSON.createObjectNode();
      for (String line : out.split("\n")) {
        if (line.startsWith("RESULT {")) {
          result = JSON.readTree(line.substring(7));
        } else if (line.startsWith("RESULT ")) {
          String[] kv = line.substring(7).trim().split("\\s+", 2);
          if (kv.length == 2) {
            named.put(kv[0], kv[1]);
          }
        }
      }
      if (result == null && !named.isEmpty()) {
        result = named;
      }
      if (p.exitValue() != 0 || result == null) {
        throw new IllegalStateException(
            "exit "
                + p.exitValue()
                + (result == null ? ", no RESULT line" : "")
                + ": "
                + String.join(" ", command)
                + "\n"
                + tail(log));
      }
      return new Run(p.exitValue(), wall, out, result);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Runs {@code command} in {@code dir} with this process's environment, output to {@code log}.
   *
   * @return its exit code, or -1 when it could not start or timed out (then it is killed)
   */
  public static int exec(List<String> command, Path dir, Path log, long timeoutSeconds) {
    try {
      Files.createDirectories(log.getParent());
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /**
   * Writes a jar holding the given classes (and their nested classes) read from this class path,
   * with an optional Main-Class. Class-data sharing needs jars (not folders) on the class path, and
   * probes must not drag the benchmark's own libraries along.
   */
  public static Path jarOf(Path jar, String mainClass, Class<?>... classes) throws IOException {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass != null) {
      mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    }
    Files.createDirectories(jar.getParent());
    List<String> entries = new ArrayList<>();
    for (Class<?> c : classes) {
      entries.add(c.getName().replace('.', '/') + ".class");
      for (Class<?> inner : c.getDeclaredClasses()) {
        entries.add(inner.getName().replace('.', '/') + ".class");
      }
    }
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream jos = new JarOutputStream(os, mf)) {
      for (String entry : entries) {
        jos.putNextEntry(new JarEntry(entry));
        try (InputStream in = Processes.class.getClassLoader().getResourceAsStream(entry)) {
          if (in == null) {
            throw new IOException("class file " + entry + " not found on the class path");
          }
          in.transferTo(jos);
        }
        jos.closeEntry();
      }
    }
    return jar;
  }

  /** The {@code java} launcher of this JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Whether {@code command --version}-style probing succeeds. */
  public static boolean available(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
