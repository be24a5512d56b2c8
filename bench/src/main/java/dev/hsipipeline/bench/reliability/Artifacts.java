package dev.hsipipeline.bench.reliability;

import dev.hsipipeline.bench.internal.Processes;
import dev.hsipipeline.bench.probe.NoopJob;
import dev.hsipipeline.bench.reliability.chaos.ChaosTrigger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Builds what the suite runs instead of production artifacts: the trigger jar with the chaos
 * wrapper added, job folders whose "image" is the no-op job, and a shell launcher that plays a
 * job's JVM at a fraction of the start-up cost (so thousands of jobs fit in CI).
 */
public final class Artifacts {
  private Artifacts() {}

  /** A copy of the deployable trigger jar plus {@link ChaosTrigger}. */
  public static Path chaosTriggerJar(Path triggerJar, Path out) throws IOException {
    Files.createDirectories(out.getParent());
    String entry = ChaosTrigger.class.getName().replace('.', '/') + ".class";
    try (JarFile in = new JarFile(triggerJar.toFile());
        OutputStream os = Files.newOutputStream(out);
        JarOutputStream jos = new JarOutputStream(os)) {
      Enumeration<JarEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        jos.putNextEntry(new JarEntry(e.getName()));
        if (!e.isDirectory()) {
          try (InputStream is = in.getInputStream(e)) {
            is.transferTo(jos);
          }
        }
        jos.closeEntry();
      }
      jos.putNextEntry(new JarEntry(entry));
      try (InputStream is = Artifacts.class.getClassLoader().getResourceAsStream(entry)) {
        if (is == null) {
          throw new IOException(entry + " is not on the class path");
        }
        is.transferTo(jos);
      }
      jos.closeEntry();
    }
    return out;
  }

  /**
   * {@code <jobsDir>/<job>/job-definition.json} copied from the repository (same retry strategy,
   * timeout, resources, placeholders) with {@code target/<job>.jar} = the no-op job.
   */
  public static Path jobs(Path repoRoot, Path jobsDir) throws IOException {
    for (String job : new String[] {"activator", "processor"}) {
      Path dir = jobsDir.resolve(job);
      Files.createDirectories(dir.resolve("target"));
      Files.copy(
          repoRoot.resolve("batch").resolve(job).resolve("job-definition.json"),
          dir.resolve("job-definition.json"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Processes.jarOf(
          dir.resolve("target").resolve(job + ".jar"), NoopJob.class.getName(), NoopJob.class);
    }
    return jobsDir;
  }

  /**
   * A {@code java} stand-in for the Batch runner: it skips the JVM options and {@code -jar <jar>},
   * then behaves like {@link NoopJob} on the event (exit 1 while the attempt is within {@code
   * failAttempts}, exit 2 for {@code "permanent":true}, else 0). The Batch runner still starts a
   * real process per attempt, with the job's environment, log stream and exit code.
   */
  public static Path shellJobLauncher(Path file) throws IOException {
    String script =
        """
        #!/bin/sh
        # Stand-in for `java [opts] -jar <job.jar> <event>`: the no-op job without a JVM.
        while [ $# -gt 0 ]; do
          case "$1" in
            -jar) shift; shift; break ;;
            *) shift ;;
          esac
        done
        ev="$1"
        attempt="${AWS_BATCH_JOB_ATTEMPT:-1}"
        fail=0
        case "$ev" in
          *'"failAttempts":1'*) fail=1 ;;
          *'"failAttempts":2'*) fail=2 ;;
        esac
        if [ "$attempt" -le "$fail" ]; then
          echo "{\\"level\\":\\"ERROR\\",\\"msg\\":\\"injected transient failure\\",\\"attempt\\":$attempt}"
          exit 1
        fi
        case "$ev" in
          *'"permanent":true'*) echo '{"level":"ERROR","msg":"bad input: the event asks for a permanent failure"}'; exit 2 ;;
        esac
        echo "{\\"level\\":\\"INFO\\",\\"msg\\":\\"done\\",\\"attempt\\":$attempt}"
        """;
    Files.createDirectories(file.getParent());
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  static Set<String> jobNames() {
    return Set.of("activator", "processor");
  }
}
