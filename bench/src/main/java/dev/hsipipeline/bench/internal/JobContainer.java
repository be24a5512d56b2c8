package dev.hsipipeline.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A job definition's container as the local Batch runner starts it: the definition's environment
 * (placeholders resolved), its vCPUs and memory passed to the JVM as {@code
 * -XX:ActiveProcessorCount} and {@code -XX:MaxRAM}, and a clean process environment.
 *
 * @param environment the definition's environment variables
 * @param vcpus the VCPU resource requirement, rounded up
 * @param memoryMib the MEMORY resource requirement
 */
record JobContainer(Map<String, String> environment, int vcpus, int memoryMib) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One run of a process in the container: its output and spawn-to-exit time. */
  record Child(String output, double wallMs) {}

  /**
   * The container of {@code jobDefinition}; variables other than the data bucket are dropped (the
   * benchmark has no queue).
   */
  static JobContainer of(Path jobDefinition, String dataBucket) throws IOException {
    JsonNode props = JSON.readTree(jobDefinition.toFile()).path("containerProperties");
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : props.path("environment")) {
      String value = e.path("value").asText().replace("${data_bucket}", dataBucket);
      if (!value.contains("${")) {
        env.put(e.path("name").asText(), value);
      }
    }
    int vcpus = 1;
    int memory = 2048;
    for (JsonNode r : props.path("resourceRequirements")) {
      switch (r.path("type").asText()) {
        case "VCPU" -> vcpus = (int) Math.ceil(Double.parseDouble(r.path("value").asText()));
        case "MEMORY" -> memory = Integer.parseInt(r.path("value").asText());
        default -> {}
      }
    }
    return new JobContainer(env, vcpus, memory);
  }

  /** The launcher and the container limits, as the local Batch runner passes them. */
  List<String> jvm() {
    return List.of(
        Processes.java(), "-XX:MaxRAM=" + memoryMib + "m", "-XX:ActiveProcessorCount=" + vcpus);
  }

  /**
   * The environment a job gets from the local Batch runner: endpoints, credentials, then the job
   * definition's.
   */
  Map<String, String> jobEnvironment(URI s3Endpoint) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_BATCH_JOB_ID", "bench");
    env.put("AWS_BATCH_JOB_ATTEMPT", "1");
    env.put("AWS_BATCH_JQ_NAME", "local");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
    env.putAll(environment);
    return env;
  }

  /** Runs {@code cmd} from a clean environment plus {@code env}; throws unless it exits 0. */
  static Child run(List<String> cmd, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> penv = pb.environment();
    Map<String, String> keep = new LinkedHashMap<>();
    for (String k : List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")) {
      if (penv.containsKey(k)) {
        keep.put(k, penv.get(k));
      }
    }
    penv.clear(); // a container starts from a clean environment
    penv.putAll(keep);
    penv.putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", cmd));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    double wall = (System.nanoTime() - t0) / 1e6;
    String out = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + out);
    }
    return new Child(out, wall);
  }
}
