package dev.hsipipeline.local.testjobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes job folders ({@code job-definition.json} + {@code target/<job>.jar}) for tests. */
public final class TestJobs {
  private TestJobs() {}

  /**
   * Creates {@code <jobsDir>/<name>/} with the given definition JSON and an executable jar that
   * runs {@link TestJob}.
   */
  public static Path create(Path jobsDir, String name, String definitionJson) throws IOException {
    Path dir = jobsDir.resolve(name);
    Files.createDirectories(dir.resolve("target"));
    Files.writeString(dir.resolve("job-definition.json"), definitionJson);
    Path jar = dir.resolve("target").resolve(name + ".jar");
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, TestJob.class.getName());
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream jos = new JarOutputStream(os, mf)) {
      String entry = TestJob.class.getName().replace('.', '/') + ".class";
      jos.putNextEntry(new JarEntry(entry));
      try (InputStream in = TestJob.class.getClassLoader().getResourceAsStream(entry)) {
        in.transferTo(jos);
      }
      jos.closeEntry();
    }
    return dir;
  }

  /**
   * Creates {@code <jobsDir>/<name>/} with the given definition JSON and a jar whose manifest runs
   * {@code mainClass} on this JVM's class path (absolute entries), so a job built on the jobs' own
   * runtime starts without packaging its dependencies.
   */
  public static Path createOnClassPath(
      Path jobsDir, String name, String definitionJson, Class<?> mainClass) throws IOException {
    Path dir = jobsDir.resolve(name);
    Files.createDirectories(dir.resolve("target"));
    Files.writeString(dir.resolve("job-definition.json"), definitionJson);
    StringBuilder classPath = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        classPath.append(Path.of(entry).toAbsolutePath().toUri()).append(' ');
      }
    }
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
    mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().strip());
    try (OutputStream os = Files.newOutputStream(dir.resolve("target").resolve(name + ".jar"));
        JarOutputStream jos = new JarOutputStream(os, mf)) {
      // the manifest is the whole jar
    }
    return dir;
  }

  /** A definition in the repository's shape with the given knobs. */
  public static String definition(String name, int vcpus, int attempts, int timeoutSeconds) {
    return """
        {
          "jobDefinitionName": "%s",
          "type": "container",
          "parameters": {"event": "{}", "mode": "default-mode"},
          "retryStrategy": {
            "attempts": %d,
            "evaluateOnExit": [
              {"onExitCode": "2", "action": "EXIT"},
              {"onReason": "*", "action": "RETRY"}
            ]
          },
          %s
          "containerProperties": {
            "command": ["Ref::event", "Ref::mode", "literal"],
            "resourceRequirements": [
              {"type": "VCPU", "value": "%d"},
              {"type": "MEMORY", "value": "256"}
            ],
            "environment": [
              {"name": "GREETING", "value": "from-definition"},
              {"name": "DATA_BUCKET", "value": "${data_bucket}"},
              {"name": "JAVA_TOOL_OPTIONS", "value": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"}
            ]
          }
        }
        """
        .formatted(
            name,
            attempts,
            timeoutSeconds > 0
                ? "\"timeout\": {\"attemptDurationSeconds\": " + timeoutSeconds + "},"
                : "",
            vcpus);
  }
}
