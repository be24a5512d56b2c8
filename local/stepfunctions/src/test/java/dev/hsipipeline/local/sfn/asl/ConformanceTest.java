package dev.hsipipeline.local.sfn.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The table-driven conformance suite: every JSON file under {@code conformance/} holds cases
 * written from the ASL specification's and the Step Functions guide's examples. A case has a
 * definition, scripted task answers per state, and runs of {input, expected outcome}; optional
 * expectations cover the back-off delays requested, task invocations and history event types.
 */
class ConformanceTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ExecutionContext CONTEXT =
      new ExecutionContext(
          "arn:aws:states:us-east-1:000000000000:execution:conformance:run-1",
          "run-1",
          Instant.parse("2025-01-01T00:00:00Z"),
          "arn:aws:iam::000000000000:role/sfn",
          "arn:aws:states:us-east-1:000000000000:stateMachine:conformance",
          "conformance");

  /** Numbers compare by value (1 equals 1.0), everything else structurally. */
  private static final Comparator<JsonNode> NUMERIC =
      (a, b) -> {
        if (a.equals(b)) {
          return 0;
        }
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return 1;
      };

  @TestFactory
  Stream<DynamicNode> executionCases() throws IOException {
    return files("conformance", false)
        .map(
            file ->
                DynamicContainer.dynamicContainer(
                    file.getFileName().toString(),
                    cases(file)
                        .map(
                            c ->
                                DynamicTest.dynamicTest(
                                    c.get("name").asText(), () -> runCase(c)))));
  }

  @TestFactory
  Stream<DynamicNode> validationCases() throws IOException {
    return files("conformance/validation", true)
        .flatMap(
            file ->
                cases(file)
                    .map(
                        c ->
                            DynamicTest.dynamicTest(
                                c.get("name").asText(), () -> validateCase(c))));
  }

  private static Stream<Path> files(String dir, boolean nested) throws IOException {
    Path root = Path.of("src/test/resources", dir);
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  private static Stream<JsonNode> cases(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<JsonNode> list = new ArrayList<>();
      MAPPER.readTree(in).get("cases").forEach(list::add);
      return list.stream();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  private static void runCase(JsonNode c) throws Exception {
    AslDefinition definition = AslDefinition.parse(MAPPER.writeValueAsString(c.get("definition")));
    for (JsonNode run : c.get("runs")) {
      ScriptedTasks tasks = new ScriptedTasks().scriptJson(c.get("tasks"));
      RecordingHistory history = new RecordingHistory();
      List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
      ExecutionOutcome out =
          new AslInterpreter(sleeps::add)
              .execute(definition, run.get("input"), CONTEXT, tasks, history);
      String where = "input " + run.get("input") + " → " + out;
      JsonNode expect = run.get("expect");
      assertEquals(expect.get("status").asText(), out.status().name(), where);
      if (expect.has("output")) {
        JsonNode actualOutput = out.output();
        if (run.has("outputMatches") && actualOutput.isObject()) {
          actualOutput = actualOutput.deepCopy();
          for (Iterator<String> it = run.get("outputMatches").fieldNames(); it.hasNext(); ) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) actualOutput)
                .remove(it.next().substring(1));
          }
        }
        assertTrue(
            expect.get("output").equals(NUMERIC, actualOutput),
            "output: expected "
                + expect.get("output")
                + " but was "
                + out.output()
                + " ("
                + where
                + ")");
      }
      if (expect.has("outputField")) {
        for (Iterator<Map.Entry<String, JsonNode>> it = expect.get("outputField").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          assertTrue(
              e.getValue().equals(NUMERIC, out.output().at(e.getKey())),
              e.getKey() + ": expected " + e.getValue() + " in " + out.output());
        }
      }
      if (run.has("outputMatches")) {
        for (Iterator<Map.Entry<String, JsonNode>> it = run.get("outputMatches").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String actual = out.output().at(e.getKey()).asText();
          assertTrue(
              actual.matches(e.getValue().asText()),
              e.getKey() + " = " + actual + " should match " + e.getValue().asText());
        }
      }
      if (expect.has("error")) {
        assertEquals(expect.get("error").asText(), out.error(), where);
      }
      if (expect.has("cause")) {
        assertEquals(expect.get("cause").asText(), out.cause(), where);
      }
      if (expect.has("causeContains")) {
        assertTrue(
            out.cause() != null && out.cause().contains(expect.get("causeContains").asText()),
            "cause should contain '" + expect.get("causeContains").asText() + "': " + out.cause());
      }
      if (run.has("sleepsMillis")) {
        List<Long> expected = new ArrayList<>();
        run.get("sleepsMillis").forEach(n -> expected.add(n.asLong()));
        assertEquals(
            expected, sleeps.stream().map(Duration::toMillis).toList(), "requested sleeps");
      }
      if (run.has("invocations")) {
        run.get("invocations")
            .fields()
            .forEachRemaining(
                e -> {
                  List<JsonNode> params =
                      tasks.invocations().stream()
                          .filter(i -> i.stateName().equals(e.getKey()))
                          .map(TaskInvocation::parameters)
                          .toList();
                  List<JsonNode> expected = new ArrayList<>();
                  e.getValue().forEach(expected::add);
                  assertEquals(expected, params, "parameters given to " + e.getKey());
                });
      }
      if (run.has("invocationCount")) {
        run.get("invocationCount")
            .fields()
            .forEachRemaining(
                e ->
                    assertEquals(
                        e.getValue().asInt(),
                        tasks.invocations().stream()
                            .filter(i -> i.stateName().equals(e.getKey()))
                            .count(),
                        "invocations of " + e.getKey()));
      }
      if (run.has("invocationTimeouts")) {
        run.get("invocationTimeouts")
            .fields()
            .forEachRemaining(
                e ->
                    assertEquals(
                        e.getValue().asLong(),
                        tasks.invocations().stream()
                            .filter(i -> i.stateName().equals(e.getKey()))
                            .findFirst()
                            .orElseThrow()
                            .timeoutSeconds()));
      }
      if (c.has("history")) {
        List<String> expected = new ArrayList<>();
        c.get("history").forEach(n -> expected.add(n.asText()));
        assertEquals(
            expected, history.types().subList(1, history.types().size()), "history event types");
      }
      assertHistoryWellFormed(history);
    }
  }

  /**
   * Ids are 1..n, every previousEventId points back to an earlier event, details have AWS's fields.
   */
  static void assertHistoryWellFormed(RecordingHistory history) {
    List<RecordingHistory.Event> events = history.events();
    for (RecordingHistory.Event e : events) {
      if (e.id() > 1) {
        assertTrue(
            e.previousEventId() >= 1 && e.previousEventId() < e.id(),
            e.type() + " #" + e.id() + " has previousEventId " + e.previousEventId());
      }
      if (e.type().endsWith("StateEntered")) {
        assertTrue(
            e.details().get("name").isTextual() && e.details().get("input").isTextual(),
            e.toString());
        assertEquals(false, e.details().at("/inputDetails/truncated").asBoolean(true));
      }
      if (e.type().endsWith("StateExited")) {
        assertTrue(
            e.details().get("name").isTextual() && e.details().get("output").isTextual(),
            e.toString());
      }
      if (e.type().equals("TaskFailed") || e.type().equals("ExecutionFailed")) {
        assertTrue(e.details().has("error") && e.details().has("cause"), e.toString());
      }
    }
    String last = events.get(events.size() - 1).type();
    assertTrue(last.startsWith("Execution"), "history ends with the execution's end, not " + last);
  }

  private static void validateCase(JsonNode c) throws Exception {
    String text =
        c.has("raw") ? c.get("raw").asText() : MAPPER.writeValueAsString(c.get("definition"));
    List<ValidationError> actual = AslDefinition.validate(text);
    List<ValidationError> unmatched = new ArrayList<>(actual);
    for (JsonNode e : c.get("errors")) {
      ValidationError match =
          unmatched.stream()
              .filter(
                  a ->
                      a.location().equals(e.get("location").asText())
                          && (!e.has("code") || a.code().equals(e.get("code").asText()))
                          && (!e.has("messageContains")
                              || a.message().contains(e.get("messageContains").asText())))
              .findFirst()
              .orElse(null);
      if (match == null) {
        fail(
            "expected an error "
                + e
                + " but got:\n  "
                + String.join("\n  ", actual.stream().map(Object::toString).toList()));
      }
      unmatched.remove(match);
    }
    assertTrue(
        unmatched.isEmpty(),
        "unexpected errors:\n  "
            + String.join("\n  ", unmatched.stream().map(Object::toString).toList()));
    if (actual.isEmpty()) {
      AslDefinition.parse(text);
    } else {
      try {
        AslDefinition.parse(text);
        fail("parse accepted an invalid definition");
      } catch (AslValidationException e) {
        assertEquals(actual, e.errors());
      }
    }
  }
}
