package dev.hsipipeline.bench.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on: they mean little without it. */
public final class Machine {
  private Machine() {}

  /** Cores, CPU model, memory, OS, JDK and the load average at the time of the run. */
  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("cpu", cpuModel());
    m.put("memoryMiB", totalMemoryMiB());
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version());
    m.put("javaHome", System.getProperty("java.home"));
    m.put("loadAverage1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return m;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave it out
    }
    return System.getProperty("os.arch");
  }

  private static long totalMemoryMiB() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() >> 20;
    }
    return -1;
  }

  /** One-line summary for the console and the chart. */
  public static String summary(Map<String, Object> m) {
    return m.get("cores")
        + " cores ("
        + m.get("cpu")
        + "), "
        + m.get("memoryMiB")
        + " MiB, "
        + m.get("jdk")
        + ", load "
        + String.format(java.util.Locale.ROOT, "%.1f", (Double) m.get("loadAverage1m"));
  }
}
