package dev.hsipipeline.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument handling and errors that need no running stack. */
class PipelineCliTest {
  @TempDir Path dataDir;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PipelineCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run runIn(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--data-dir";
    all[1] = dataDir.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return run(all);
  }

  @Test
  void noCommandIsAUsageError() {
    Run r = run();
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Missing command"), r.err());
  }

  @Test
  void unknownCommandIsAUsageError() {
    Run r = run("launch");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("launch"), r.err());
  }

  @Test
  void sendRejectsAnUnknownQueue() {
    Run r = runIn("send", "nowhere", "{}");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("activator") && r.err().contains("processor"), r.err());
  }

  @Test
  void sendRejectsABodyThatIsNotJson() {
    Run r = runIn("send", "activator", "{not json");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("not JSON") && r.err().contains("--raw"), r.err());
  }

  @Test
  void sendReportsAMissingBodyFile() {
    Run r = runIn("send", "activator", "@/no/such/file.json");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no file"), r.err());
  }

  @Test
  void commandsThatNeedTheStackSayItIsNotRunning() {
    for (String[] args :
        new String[][] {
          {"executions"},
          {"describe", "x"},
          {"history", "x"},
          {"send", "activator", "{}"},
          {"sample-scene"}
        }) {
      Run r = runIn(args);
      assertEquals(1, r.code(), String.join(" ", args));
      assertTrue(r.err().contains("not running") && r.err().contains("./pipeline up"), r.err());
    }
  }

  @Test
  void aStaleEndpointsFileIsDetected() throws Exception {
    Files.writeString(
        dataDir.resolve("endpoints.env"),
        "export AWS_ENDPOINT_URL_SQS=http://127.0.0.1:1\n"
            + "export AWS_ENDPOINT_URL_S3=http://127.0.0.1:1\nexport AWS_ENDPOINT_URL_SFN=http://127.0.0.1:1\n"
            + "export STATE_MACHINE_ARN=arn:aws:states:us-east-1:000000000000:stateMachine:hsi-pipeline\nPIPELINE_PID=999999999\n");
    Run r = runIn("executions");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("has ended"), r.err());
  }

  @Test
  void connectionRefusedIsReportedAsNotRunning() throws Exception {
    Files.writeString(
        dataDir.resolve("endpoints.env"),
        "export AWS_ENDPOINT_URL_SQS=http://127.0.0.1:1\n"
            + "export AWS_ENDPOINT_URL_S3=http://127.0.0.1:1\nexport AWS_ENDPOINT_URL_SFN=http://127.0.0.1:1\n"
            + "export STATE_MACHINE_ARN=arn:aws:states:us-east-1:000000000000:stateMachine:hsi-pipeline\n");
    Run r = runIn("executions");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("does not answer"), r.err());
  }

  @Test
  void executionsRejectsAnUnknownStatus() {
    Run r = runIn("executions", "--status", "DONE");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("SUCCEEDED"), r.err());
  }

  @Test
  void logsOfAnUnknownJobNamesWhereItLooked() {
    Run r = runIn("logs", "0000aaaa");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no job 0000aaaa"), r.err());
  }

  @Test
  void logsPrintsTheLastAttemptAndAcceptsAPrefix() throws Exception {
    String id = "3f6c2d1e-0000-4000-8000-000000000001";
    Files.createDirectories(dataDir.resolve("batch/jobs"));
    Files.writeString(
        dataDir.resolve("batch/jobs/" + id + ".json"),
        "{\"jobId\":\"" + id + "\",\"status\":\"SUCCEEDED\"}");
    Files.createDirectories(dataDir.resolve("batch/logs/" + id));
    Files.writeString(dataDir.resolve("batch/logs/" + id + "/1.log"), "first try\n");
    Files.writeString(dataDir.resolve("batch/logs/" + id + "/2.log"), "second try\n");
    Run r = runIn("logs", "3f6c2d1e");
    assertEquals(0, r.code(), r.err());
    assertEquals("second try", r.out().strip());
    assertEquals("first try", runIn("logs", id, "--attempt", "1").out().strip());
    Run bad = runIn("logs", id, "--attempt", "7");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("attempts: [1, 2]"), bad.err());
  }

  @Test
  void validateAcceptsThePipelineDefinitionAndListsEveryErrorOfABadOne() throws Exception {
    Path repo = dev.hsipipeline.local.StackSettings.findRepoRoot();
    Run ok = run("validate", repo.resolve("statemachine/pipeline.asl.json").toString());
    assertEquals(0, ok.code(), ok.err());
    Path bad = dataDir.resolve("bad.asl.json");
    Files.writeString(
        bad,
        "{\"StartAt\":\"Missing\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"Nowhere\"},"
            + "\"B\":{\"Type\":\"Bogus\",\"End\":true}}}");
    Run r = run("validate", bad.toString());
    assertEquals(1, r.code());
    assertTrue(
        r.err().contains("Missing") && r.err().contains("Nowhere") && r.err().contains("Bogus"),
        r.err());
  }

  @Test
  void validateReportsAMissingFile() {
    Run r = run("validate", "/no/such.asl.json");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no file"), r.err());
  }

  @Test
  void sampleSceneRejectsBadOptionsBeforeConnecting() {
    Run r = runIn("sample-scene", "--interleave", "zigzag");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("zigzag"), r.err());
    Run n = runIn("sample-scene", "--samples", "many");
    assertEquals(2, n.code());
  }

  @Test
  void sampleSceneRejectsAnUnknownGeoreferencingNamingTheChoices() {
    Run r = runIn("sample-scene", "--georef", "mercator");
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("--georef")
            && r.err().contains("'mercator'")
            && r.err().contains("utm, rotated, geographic, none"),
        r.err());
  }

  @Test
  void sampleSceneAcceptsEveryGeoreferencingAndThenNeedsTheStack() {
    for (String g : new String[] {"utm", "rotated", "geographic", "none", "UTM"}) {
      Run r = runIn("sample-scene", "--georef", g);
      assertEquals(1, r.code(), g + ": " + r.err());
      assertTrue(r.err().contains("not running"), r.err());
    }
  }

  @Test
  void helpListsEveryCommand() {
    Run r = run("--help");
    assertEquals(0, r.code());
    for (String c :
        new String[] {
          "up",
          "demo",
          "send",
          "executions",
          "describe",
          "history",
          "logs",
          "sample-scene",
          "validate"
        }) {
      assertTrue(r.out().contains(c), c);
    }
  }
}
