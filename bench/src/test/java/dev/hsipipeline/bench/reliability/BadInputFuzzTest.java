package dev.hsipipeline.bench.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.bench.internal.InterpreterBench;
import dev.hsipipeline.local.aws.LocalS3;
import dev.hsipipeline.local.sfn.asl.AslDefinition;
import dev.hsipipeline.local.sfn.asl.AslValidationException;
import dev.hsipipeline.local.sfn.asl.ValidationError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Bad input everywhere: seeded generators (reproducible: the seed is in every failure message) feed
 * the ASL loader mutated definitions, the running pipeline odd message bodies, and the real job
 * jars malformed events. Each must end in a clear, recorded error — a validation message, a Fail
 * state, a DLQ entry, an SQS rejection, exit code 2 with a log line — never a crash, a hang or a
 * bare stack trace.
 */
@Tag("reliability")
class BadInputFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = 20251125L;

  @TempDir Path dir;

  // ---------------------------------------------------------------- ASL loader

  @Test
  void aslLoaderAnswersEveryMutatedDefinitionWithAValidationMessage() throws Exception {
    String rendered =
        InterpreterBench.render(
            Files.readString(Repo.root().resolve("statemachine/pipeline.asl.json")));
    AslDefinition.parse(rendered); // the unmutated definition is valid
    int cases = "soak".equals(System.getProperty("reliability.scale")) ? 5000 : 600;
    SplittableRandom random = new SplittableRandom(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < cases; i++) {
      String mutated = mutate(rendered, random);
      int caseNo = i;
      String outcome =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10),
              () -> {
                try {
                  AslDefinition.parse(mutated);
                  return "accepted";
                } catch (AslValidationException e) {
                  List<ValidationError> errors = e.errors();
                  if (errors.isEmpty()
                      || errors.stream().anyMatch(err -> String.valueOf(err).isBlank())) {
                    fail(
                        "case "
                            + caseNo
                            + " (seed "
                            + SEED
                            + "): validation failed without a message: "
                            + e);
                  }
                  if (e.getMessage() == null || e.getMessage().isBlank()) {
                    fail(
                        "case "
                            + caseNo
                            + " (seed "
                            + SEED
                            + "): AslValidationException without a message");
                  }
                  return "rejected with "
                      + Math.min(errors.size(), 3)
                      + (errors.size() >= 3 ? "+" : "")
                      + " error(s)";
                } catch (Throwable t) {
                  fail(
                      "case "
                          + caseNo
                          + " (seed "
                          + SEED
                          + "): the loader threw "
                          + t
                          + " instead of a validation error for:\n"
                          + abbreviate(mutated),
                      t);
                  return "crash";
                }
              },
              () -> "case " + caseNo + " (seed " + SEED + ") hung:\n" + abbreviate(mutated));
      outcomes.merge(outcome, 1, Integer::sum);
    }
    System.out.println(
        "ASL fuzz (" + cases + " mutated definitions, seed " + SEED + "): " + outcomes);
    assertTrue(
        outcomes.keySet().stream().anyMatch(k -> k.startsWith("rejected")),
        "no mutation was rejected: " + outcomes);
  }

  /** One random mutation of the definition text or tree. */
  static String mutate(String definition, SplittableRandom r) throws Exception {
    switch (r.nextInt(9)) {
      case 0: // truncated document
        return definition.substring(0, r.nextInt(definition.length()));
      case 1:
        { // random bytes spliced in
          StringBuilder b = new StringBuilder(definition);
          int at = r.nextInt(b.length());
          for (int k = 0; k < 1 + r.nextInt(8); k++) {
            b.insert(at, (char) r.nextInt(0x20, 0x2FFF));
          }
          return b.toString();
        }
      case 2: // deep nesting
        return "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":"
            + "[".repeat(2000 + r.nextInt(20000))
            + "]".repeat(10)
            + ",\"End\":true}}}";
      case 3: // empty / non-object documents
        return List.of(
                "", " ", "null", "[]", "42", "\"x\"", "{}", "{\"States\":{}}", "\u0000", "\uFEFF{}")
            .get(r.nextInt(10));
      default:
        { // structural mutation of the tree
          JsonNode root = JSON.readTree(definition);
          List<JsonNode> containers = new ArrayList<>();
          collect(root, containers);
          for (int k = 0; k < 1 + r.nextInt(3); k++) {
            JsonNode target = containers.get(r.nextInt(containers.size()));
            if (target instanceof ObjectNode o && o.size() > 0) {
              List<String> names = new ArrayList<>();
              o.fieldNames().forEachRemaining(names::add);
              String name = names.get(r.nextInt(names.size()));
              switch (r.nextInt(4)) {
                case 0 -> o.remove(name);
                case 1 -> o.set(name, randomValue(r));
                case 2 -> o.set(name + "\u202E" + r.nextInt(9), randomValue(r));
                default ->
                    o.put(name, "Nope" + r.nextInt(100)); // dangling Next / unknown Type / bad path
              }
            } else if (target instanceof ArrayNode a) {
              if (a.size() > 0 && r.nextBoolean()) {
                a.remove(r.nextInt(a.size()));
              } else {
                a.add(randomValue(r));
              }
            }
          }
          return JSON.writeValueAsString(root);
        }
    }
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        collect(it.next(), out);
      }
    }
  }

  private static JsonNode randomValue(SplittableRandom r) {
    return switch (r.nextInt(9)) {
      case 0 -> JSON.nullNode();
      case 1 -> JSON.getNodeFactory().numberNode(r.nextInt(-5, 1_000_000));
      case 2 -> JSON.getNodeFactory().numberNode(r.nextDouble() * 1e300);
      case 3 -> JSON.getNodeFactory().booleanNode(r.nextBoolean());
      case 4 -> JSON.getNodeFactory().textNode("$..[?(@.x)]" + r.nextInt(10));
      case 5 ->
          JSON.getNodeFactory().textNode("States.Format('{}', $.a" + ")".repeat(r.nextInt(3)));
      case 6 -> JSON.createArrayNode().add(r.nextInt());
      case 7 -> JSON.createObjectNode().put("Type", "Wat");
      default -> JSON.getNodeFactory().textNode("\uD83D\uDE00\u0000\u200B" + r.nextInt());
    };
  }

  // ---------------------------------------------------------------- trigger, through SQS

  @Test
  void oddBodiesThroughThePipelineEachEndInARecordedOutcome() throws Exception {
    Repo.triggerJar();
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("empty", "");
    bodies.put("blank", "   ");
    bodies.put("not JSON", "hello, pipeline");
    bodies.put("truncated JSON", "{\"scene\": \"s3://hsi-data/a.hdr\"");
    bodies.put("JSON null", "null");
    bodies.put("JSON number", "42");
    bodies.put("JSON string", "\"just a string\"");
    bodies.put("JSON array", "[1,2,3]");
    bodies.put("wrong types", "{\"scene\":123,\"faults\":\"many\",\"permanent\":\"yes\"}");
    bodies.put("nested 500", "[".repeat(500) + "]".repeat(500));
    bodies.put("nested 5000", "[".repeat(5000) + "]".repeat(5000));
    bodies.put("200 KiB JSON (offloaded to S3)", "{\"blob\":\"" + "x".repeat(200 * 1024) + "\"}");
    bodies.put("1 MiB JSON (over the SQS limit)", "{\"blob\":\"" + "y".repeat(1024 * 1024) + "\"}");
    bodies.put("NUL character", "{\"a\":\"\u0000\"}");
    bodies.put("escaped NUL", "{\"a\":\"\\u0000\"}");
    bodies.put(
        "unicode edges",
        "{\"s\":\"\uD83D\uDE00 \u202Eevil\u202C \u200B\uFEFF \u0301e \uFFFD \uD834\uDD1E\"}");
    bodies.put("lone surrogate", "{\"s\":\"\uD800\"}");
    bodies.put("XSS-looking", "{\"s\":\"</script><script>alert(1)</script>\"}");
    SplittableRandom r = new SplittableRandom(SEED);
    for (int k = 0; k < 4; k++) {
      byte[] b = new byte[64 + r.nextInt(512)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) r.nextInt(256);
      }
      bodies.put("binary " + k, new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    Map<String, String> outcomeOf = new LinkedHashMap<>();
    java.io.PrintStream originalOut = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(
        new java.io.PrintStream(
            new java.io.OutputStream() {
              @Override
              public void write(int c) {
                originalOut.write(c);
                synchronized (captured) {
                  captured.write(c);
                }
              }

              @Override
              public void write(byte[] b, int off, int len) {
                originalOut.write(b, off, len);
                synchronized (captured) {
                  captured.write(b, off, len);
                }
              }
            },
            true,
            java.nio.charset.StandardCharsets.UTF_8));
    try (ReliabilityStack stack =
            ReliabilityStack.start(
                new ReliabilityStack.Options(
                    Repo.root(),
                    dir.resolve("data"),
                    dir.resolve("work"),
                    0,
                    0,
                    0,
                    10,
                    false,
                    4,
                    Map.of()));
        SqsClient sqs =
            SqsClient.builder()
                .endpointOverride(stack.sqsEndpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(ReliabilityStack.credentials())
                .build();
        SfnClient sfn =
            SfnClient.builder()
                .endpointOverride(stack.sfnEndpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(ReliabilityStack.credentials())
                .build()) {
      Map<String, String> outcome = new LinkedHashMap<>();
      Map<String, String> accepted = new LinkedHashMap<>(); // messageId -> label
      Map<String, String> bodyOf = new HashMap<>();
      for (Map.Entry<String, String> e : bodies.entrySet()) {
        try {
          String id =
              sqs.sendMessage(
                      b -> b.queueUrl(stack.queueUrl("activator")).messageBody(e.getValue()))
                  .messageId();
          accepted.put(id, e.getKey());
          bodyOf.put(id, e.getValue());
        } catch (SdkException ex) {
          assertFalse(
              String.valueOf(ex.getMessage()).isBlank(),
              e.getKey() + ": SQS rejected it without a message");
          outcome.put(e.getKey(), "rejected by SQS: " + abbreviate(ex.getMessage()));
        }
      }
      // Every accepted message: a terminal execution, or (bad input) a DLQ entry.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      Map<String, String> pending = new LinkedHashMap<>(accepted);
      Map<String, String> dlq = new HashMap<>(); // messageId -> receive count
      while (!pending.isEmpty() && System.nanoTime() < deadline) {
        for (Iterator<Map.Entry<String, String>> it = pending.entrySet().iterator();
            it.hasNext(); ) {
          Map.Entry<String, String> p = it.next();
          String arn =
              stack.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + p.getKey();
          try {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
            if (d.status() != ExecutionStatus.RUNNING) {
              outcome.put(
                  p.getValue(),
                  "execution "
                      + d.status()
                      + (d.error() == null
                          ? ""
                          : " " + d.error() + ": " + abbreviate(String.valueOf(d.cause()))));
              it.remove();
            }
          } catch (
              software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException notYet) {
            // maybe in the DLQ: checked below
          }
        }
        List<Message> dead =
            sqs.receiveMessage(
                    b ->
                        b.queueUrl(stack.dlqUrl("activator"))
                            .maxNumberOfMessages(10)
                            .visibilityTimeout(600)
                            .waitTimeSeconds(1)
                            .messageSystemAttributeNamesWithStrings("All"))
                .messages();
        for (Message m : dead) {
          String id =
              accepted.containsKey(m.messageId())
                  ? m.messageId()
                  : accepted.keySet().stream()
                      .filter(a -> bodyOf.get(a).equals(m.body()))
                      .findFirst()
                      .orElse(null);
          if (id != null) {
            dlq.put(id, m.attributesAsStrings().getOrDefault("ApproximateReceiveCount", "?"));
          }
        }
        // A DLQ entry is the outcome only for a message that never got an execution (checked
        // again here, so a slow start that was also dead-lettered reports its execution).
        for (Map.Entry<String, String> d : dlq.entrySet()) {
          if (pending.containsKey(d.getKey()) && !executionExists(sfn, stack, d.getKey())) {
            outcome.put(
                pending.remove(d.getKey()),
                "DLQ after " + d.getValue() + " receives (trigger rejected it)");
          }
        }
        Thread.sleep(500);
      }
      System.out.println("Bad bodies through the pipeline (seed " + SEED + "):");
      bodies
          .keySet()
          .forEach(
              k -> System.out.printf("  %-34s -> %s%n", k, outcome.getOrDefault(k, "NO OUTCOME")));
      outcomeOf.putAll(outcome);
      assertTrue(
          pending.isEmpty(), "no recorded outcome within 4 minutes for: " + pending.values());
      assertEquals(bodies.size(), outcome.size(), "every body needs an outcome");
      outcome.forEach(
          (k, v) ->
              assertFalse(v.contains("States.Runtime"), k + ": the pipeline itself broke: " + v));
      assertTrue(
          outcome.get("not JSON").startsWith("DLQ"),
          "a non-JSON body must reach the DLQ: " + outcome.get("not JSON"));
      assertTrue(
          outcome.get("200 KiB JSON (offloaded to S3)").startsWith("execution SUCCEEDED"),
          "a large body must be offloaded and processed: "
              + outcome.get("200 KiB JSON (offloaded to S3)"));

      // Still alive: a normal message goes through.
      String id =
          sqs.sendMessage(
                  b -> b.queueUrl(stack.queueUrl("processor")).messageBody("{\"scene\":\"ok\"}"))
              .messageId();
      String arn = stack.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + id;
      ExecutionStatus status =
          Awaitility.await("the normal message's execution ending")
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(300))
              .ignoreException(ExecutionDoesNotExistException.class)
              .until(
                  () -> sfn.describeExecution(b -> b.executionArn(arn)).status(),
                  s -> s != ExecutionStatus.RUNNING);
      assertEquals(
          ExecutionStatus.SUCCEEDED,
          status,
          "the stack must still process normal messages after the fuzz");
    } finally {
      System.setOut(originalOut);
    }
    // Every rejection the trigger logged names what was wrong with the body, not a Java exception.
    List<String> bare = new ArrayList<>();
    for (String line : captured.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("\"record_failed\"") && line.contains("\"reason\":\"unexpected java.")) {
        bare.add(abbreviate(line));
      }
    }
    assertTrue(
        bare.isEmpty(),
        "the trigger rejected bodies with a bare Java exception instead of a clear reason"
            + " (and as retryable, so they hit the DLQ only after maxReceiveCount):\n"
            + String.join("\n", bare));
    for (String validJson :
        List.of(
            "JSON null", "JSON number", "JSON string", "JSON array", "wrong types", "nested 500")) {
      assertTrue(
          outcomeOf.get(validJson).startsWith("execution"),
          validJson + " is valid JSON and must start an execution: " + outcomeOf.get(validJson));
    }
  }

  private static boolean executionExists(SfnClient sfn, ReliabilityStack stack, String messageId) {
    try {
      sfn.describeExecution(
          b ->
              b.executionArn(
                  stack.stateMachineArn().replace(":stateMachine:", ":execution:")
                      + ":"
                      + messageId));
      return true;
    } catch (software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- real jobs

  @Test
  void realJobsRejectMalformedEventsWithExitCode2AndAMessage() throws Exception {
    List<Path> jars = new ArrayList<>();
    for (String job : List.of("activator", "processor")) {
      Path jar = Repo.root().resolve("batch").resolve(job).resolve("target").resolve(job + ".jar");
      if (Files.isRegularFile(jar)) {
        jars.add(jar);
      }
    }
    assumeTrue(!jars.isEmpty(), "job jars are not built");
    Map<String, String> events = new LinkedHashMap<>();
    events.put("empty", "");
    events.put("not JSON", "hello");
    events.put("JSON array", "[1]");
    events.put("wrong types", "{\"scene\":42,\"item\":[],\"products\":\"all\"}");
    events.put(
        "missing object",
        "{\"scene\":\"s3://hsi-data/nope/missing.hdr\",\"item\":\"s3://hsi-data/nope/item.json\"}");
    events.put("deep nesting", "{\"scene\":" + "[".repeat(3000) + "]".repeat(3000) + "}");
    events.put("unicode", "{\"scene\":\"s3://hsi-data/\uD83D\uDE00/\u202E.hdr\"}");
    try (LocalS3 s3 = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dir.resolve("s3")))) {
      s3.createBucket("hsi-data");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_ACCESS_KEY_ID", "test");
      env.put("AWS_SECRET_ACCESS_KEY", "test");
      env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
      env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9");
      env.put("DATA_BUCKET", "hsi-data");
      env.put("PROCESSOR_QUEUE_URL", "http://127.0.0.1:9/000000000000/processor-queue");
      env.put("AWS_BATCH_JOB_ID", "fuzz");
      env.put("AWS_BATCH_JOB_ATTEMPT", "1");
      List<String> problems = new ArrayList<>();
      for (Path jar : jars) {
        for (Map.Entry<String, String> e : events.entrySet()) {
          Path log = dir.resolve("job.log");
          ProcessBuilder pb =
              new ProcessBuilder(
                      java(),
                      "-XX:TieredStopAtLevel=1",
                      "-Xshare:auto",
                      "-jar",
                      jar.toString(),
                      e.getValue())
                  .redirectErrorStream(true)
                  .redirectOutput(log.toFile());
          pb.environment().putAll(env);
          Process p = pb.start();
          if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            problems.add(jar.getFileName() + " / " + e.getKey() + ": hung");
            continue;
          }
          String out = Files.readString(log);
          boolean messageLine =
              out.lines().anyMatch(l -> l.contains("\"level\":\"ERROR\"") && l.contains("\"msg\""));
          boolean bareTrace = out.contains("Exception in thread \"main\"");
          String first =
              out.lines()
                  .filter(l -> l.contains("ERROR"))
                  .findFirst()
                  .orElse(out.lines().findFirst().orElse(""));
          System.out.printf(
              "  %-14s %-15s exit %d  %s%n",
              jar.getFileName(), e.getKey(), p.exitValue(), abbreviate(first));
          if (p.exitValue() != 2 || !messageLine || bareTrace) {
            problems.add(
                jar.getFileName()
                    + " / "
                    + e.getKey()
                    + ": exit "
                    + p.exitValue()
                    + (messageLine ? "" : ", no ERROR log line")
                    + (bareTrace ? ", bare stack trace" : "")
                    + ": "
                    + abbreviate(out));
          }
        }
      }
      assertTrue(
          problems.isEmpty(),
          "jobs must turn bad events into exit code 2 with a clear log line:\n"
              + String.join("\n", problems));
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String abbreviate(String s) {
    String one = s.replace('\n', ' ');
    return one.length() > 240 ? one.substring(0, 240) + "..." : one;
  }
}
