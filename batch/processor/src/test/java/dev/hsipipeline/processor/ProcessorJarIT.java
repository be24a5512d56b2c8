package dev.hsipipeline.processor;

import static org.junit.jupiter.api.Assertions.*;

import dev.hsipipeline.hsi.testdata.SyntheticScene;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** Runs target/processor.jar as a real child process, the way the local Batch runner does. */
class ProcessorJarIT {
  @TempDir static Path dir;
  static LocalPipeline p;
  static String item;

  @BeforeAll
  static void start() throws Exception {
    p = new LocalPipeline(dir.resolve("s3"));
    item =
        LocalPipeline.JSON
            .readTree(
                p.activate(
                    SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(16, 12, 30)),
                    "scenes/jar"))
            .get("item")
            .asText();
  }

  @AfterAll
  static void stop() {
    p.close();
  }

  record Result(int code, String output) {}

  /** The JVM options the job definition gives the container (ADR 0044). */
  static String jobDefinitionJavaToolOptions() throws IOException {
    for (var e :
        LocalPipeline.JSON
            .readTree(Path.of("job-definition.json").toFile())
            .path("containerProperties")
            .path("environment")) {
      if ("JAVA_TOOL_OPTIONS".equals(e.path("name").asText())) return e.path("value").asText();
    }
    return "";
  }

  static Result runJar(String event) throws Exception {
    Path jar = Path.of("target/processor.jar").toAbsolutePath();
    assertTrue(Files.exists(jar), "build the jar first (mvn package): " + jar);
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = Files.createTempFile(dir, "job", ".log");
    // As the local Batch runner starts it: container limits on the command line, the job
    // definition's environment (with its JVM options).
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java,
                    "-XX:MaxRAM=4096m",
                    "-XX:ActiveProcessorCount=2",
                    "-jar",
                    jar.toString(),
                    event))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("JAVA_TOOL_OPTIONS", jobDefinitionJavaToolOptions());
    env.putAll(p.env(1));
    Process proc = pb.start();
    if (!proc.waitFor(120, TimeUnit.SECONDS)) {
      proc.destroyForcibly();
      fail("processor.jar did not finish within 120 s");
    }
    return new Result(proc.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void jarProcessesAnItemAndExitsZero() throws Exception {
    Result r = runJar("{\"item\":\"" + item + "\"}");
    assertEquals(0, r.code(), r.output());
    String id = item.substring(item.lastIndexOf('/') + 1, item.length() - 5);
    String products = "products/" + id + "/" + ProcessorJobTest.ALL + "/";
    assertTrue(p.exists(products + "ndi.tif"), "the NDI COG under the product key");
    assertTrue(p.exists(products + "quicklook.png"), "the thumbnail under the product key");
    assertTrue(
        p.exists("stac/products/items/" + id + "." + ProcessorJobTest.ALL + ".json"),
        "the product item in the catalog");
    assertFalse(r.output().contains("SLF4J"), "no logging noise on stdout/stderr: " + r.output());
  }

  @Test
  void jobDefinitionJvmOptionsAreAcceptedAndInEffect() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(List.of(java, "-XX:+PrintFlagsFinal", "-version"))
            .redirectErrorStream(true);
    pb.environment().put("JAVA_TOOL_OPTIONS", jobDefinitionJavaToolOptions());
    Process proc = pb.start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, proc.exitValue(), out);
    // A mistyped flag would stop every job JVM before main; these two are the fresh-JVM throughput
    // choice.
    assertTrue(out.matches("(?s).*TieredStopAtLevel\\s+= 1 .*"), out);
    assertTrue(out.matches("(?s).*UseSerialGC\\s+= true .*"), out);
  }

  @Test
  void jarExitsTwoOnUnknownProductMissingObjectAndTruncatedData() throws Exception {
    Result unknown = runJar("{\"item\":\"" + item + "\",\"products\":[\"ndvi\"]}");
    assertEquals(2, unknown.code(), unknown.output());
    assertTrue(unknown.output().contains("unknown product"), unknown.output());

    Result missing = runJar("{\"item\":\"s3://hsi-data/items/absent.json\"}");
    assertEquals(2, missing.code(), missing.output());
    assertTrue(
        missing.output().contains("missing object: s3://hsi-data/items/absent.json does not exist"),
        missing.output());

    p.s3.putObject(
        b -> b.bucket("hsi-data").key("scenes/jar.img"), RequestBody.fromBytes(new byte[100]));
    Result truncated = runJar("{\"item\":\"" + item + "\"}");
    assertEquals(2, truncated.code(), truncated.output());
    assertTrue(
        truncated
            .output()
            .contains(
                "truncated data: s3://hsi-data/scenes/jar.img has 100 bytes, expected 11520 bytes"),
        truncated.output());
  }

  @Test
  void jarExitsOneOnInjectedTransientFailure() throws Exception {
    Result r = runJar("{\"item\":\"" + item + "\",\"faults\":{\"failAttempts\":1}}");
    assertEquals(1, r.code(), r.output());
    assertTrue(r.output().contains("injected transient failure"), r.output());
  }
}
