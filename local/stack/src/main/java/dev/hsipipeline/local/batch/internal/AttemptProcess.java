package dev.hsipipeline.local.batch.internal;

import dev.hsipipeline.local.batch.BatchSettings;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process of one job attempt — the local "container": a child JVM with a clean environment, the
 * job's memory and CPU limits, its own working folder, and stdout+stderr copied line by line to the
 * attempt's log file. Stopping it is docker stop: SIGTERM to the process tree, SIGKILL after the
 * grace period.
 */
public final class AttemptProcess {

  private static final Logger LOG = LoggerFactory.getLogger(AttemptProcess.class);

  /** What a container starts with besides its job's environment: what a JVM needs to run here. */
  private static final List<String> HOST_VARIABLES =
      List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR");

  private final Process process;
  private final Thread pump;
  private final long killGraceMillis;

  private AttemptProcess(Process process, Thread pump, long killGraceMillis) {
    this.process = process;
    this.pump = pump;
    this.killGraceMillis = killGraceMillis;
  }

  /**
   * Starts the attempt in {@code work} (created), records its pid there (so that a restarted stack
   * can kill it if the stack dies first) and starts copying its output to {@code log}.
   */
  public static AttemptProcess start(
      List<String> commandLine,
      Map<String, String> environment,
      Path work,
      Path log,
      String jobId,
      long killGraceMillis)
      throws IOException {
    Files.createDirectories(work);
    Files.createDirectories(log.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(commandLine).directory(work.toFile()).redirectErrorStream(true);
    Map<String, String> penv = pb.environment();
    Map<String, String> keep = new LinkedHashMap<>();
    for (String k : HOST_VARIABLES) {
      if (penv.containsKey(k)) {
        keep.put(k, penv.get(k));
      }
    }
    penv.clear();
    penv.putAll(keep);
    penv.putAll(environment);
    Process p = pb.start();
    recordPid(p, work);
    Thread pump = Thread.ofVirtual().name("batch-log-" + jobId).start(() -> pump(p, log, jobId));
    return new AttemptProcess(p, pump, killGraceMillis);
  }

  /**
   * The {@code java} command line of an attempt: the container's limits as the JVM would see them
   * inside a container, an optional per-job CDS archive (a warm image cache), the job's jar, then
   * its command.
   */
  public static List<String> javaCommandLine(BatchSettings settings, JobSpec spec) {
    List<String> cmd = new ArrayList<>();
    cmd.add(settings.javaCommand());
    cmd.add("-XX:MaxRAM=" + spec.memoryMib() + "m");
    cmd.add("-XX:ActiveProcessorCount=" + Math.max(1, (int) Math.ceil(spec.vcpus())));
    // As the images' entrypoint: the COG writer's native DEFLATE (Intel GKL) loads a library,
    // which JDK 22+ would warn about in every job log.
    cmd.add("--enable-native-access=ALL-UNNAMED");
    if (settings.sharedArchives()) {
      Path cds =
          settings
              .dataDir()
              .resolve("batch")
              .resolve("cds")
              .resolve(spec.definition().name() + ".jsa");
      try {
        Files.createDirectories(cds.getParent());
        cmd.add("-XX:+AutoCreateSharedArchive");
        cmd.add("-XX:SharedArchiveFile=" + cds);
        cmd.add("-Xlog:cds=off");
        cmd.add("-Xlog:cds+dynamic=off");
      } catch (IOException e) {
        LOG.debug("no CDS archive folder: {}", e.toString());
      }
    }
    cmd.add("-jar");
    cmd.add(spec.definition().jar().toString());
    cmd.addAll(spec.command());
    return cmd;
  }

  /**
   * Waits for the process to end by itself.
   *
   * @param timeoutSeconds 0 to wait without limit
   * @return false when the timeout passed first (the process still runs)
   */
  public boolean waitFor(long timeoutSeconds) throws InterruptedException {
    if (timeoutSeconds > 0) {
      return process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    }
    process.waitFor();
    return true;
  }

  /** Waits up to {@code millis} for the log copy to reach the end of the output. */
  public void joinLog(long millis) throws InterruptedException {
    pump.join(millis);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * The exit code, waiting up to the kill grace (+2 s) for it; null when the process does not end
   * (or the wait is interrupted while it still runs).
   */
  public Integer exitValue() {
    try {
      if (!process.waitFor(killGraceMillis + 2000, TimeUnit.MILLISECONDS)) {
        return null;
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return process.isAlive() ? null : process.exitValue();
    }
  }

  /** SIGTERM to the process tree, SIGKILL after the grace period (docker stop semantics). */
  public void kill() {
    Process p = process;
    boolean interrupted = Thread.interrupted();
    try {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      if (!p.waitFor(killGraceMillis, TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Kills attempt processes recorded in {@code <jobWork>/<attempt>/.pid} that are still alive.
   *
   * @return how many were killed
   */
  public static int killLeftovers(Path jobWork) {
    if (!Files.isDirectory(jobWork)) {
      return 0;
    }
    int killed = 0;
    try (var attempts = Files.list(jobWork)) {
      for (Path pidFile :
          attempts.map(a -> a.resolve(".pid")).filter(Files::isRegularFile).toList()) {
        String[] parts = Files.readString(pidFile).trim().split(" ");
        long pid = Long.parseLong(parts[0]);
        long startedMillis = Long.parseLong(parts[1]);
        // The start time guards against a reused pid: only our own job process is killed.
        var handle =
            ProcessHandle.of(pid)
                .filter(
                    h ->
                        h.info()
                            .startInstant()
                            .map(t -> t.toEpochMilli() == startedMillis)
                            .orElse(false));
        if (handle.isPresent()) {
          handle.get().descendants().forEach(ProcessHandle::destroyForcibly);
          handle.get().destroyForcibly();
          killed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot check leftover job processes in {}: {}", jobWork, e.toString());
    }
    return killed;
  }

  private static void recordPid(Process p, Path work) {
    try {
      long startedMillis = p.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
      Files.writeString(work.resolve(".pid"), p.pid() + " " + startedMillis);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot record the pid of job process {}: {}", p.pid(), e.toString());
    }
  }

  private static void pump(Process p, Path log, String jobId) {
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush(); // readers (console, CLI) tail the file while the job runs
      }
    } catch (IOException e) {
      LOG.debug("log capture of job {} ended: {}", jobId, e.toString());
    }
  }
}
