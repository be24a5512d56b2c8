package dev.hsipipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {

  @Test
  void substitutesVariablesVerbatimAndKeepsEscapes() {
    assertEquals(
        "a=arn:x b=${literal} c=%{ok}",
        TemplateRenderer.render("t", "a=${v} b=$${literal} c=%%{ok}", Map.of("v", "arn:x")));
  }

  @Test
  void listsEveryUnresolvedPlaceholderWithItsLine() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemplateRenderer.render(
                    "sm.json", "${known}\n${missing}\n${a + b}\n%{ if x }", Map.of("known", "1")));
    String m = e.getMessage();
    assertTrue(m.startsWith("sm.json: cannot render template (3 problem(s))"), m);
    assertTrue(m.contains("line 2: no value for ${missing}"), m);
    assertTrue(m.contains("line 3: ${a + b} is an expression"), m);
    assertTrue(m.contains("line 4: template directive"), m);
  }

  @Test
  void rendersThePipelineStateMachineLikeTerraform() throws Exception {
    var repo = StackSettings.findRepoRoot();
    String template = Files.readString(repo.resolve("statemachine/pipeline.asl.json"));
    Map<String, String> vars = StateMachineTemplate.localVariables(StackSettings.defaults(repo));
    String rendered = TemplateRenderer.render("pipeline.asl.json", template, vars);
    assertFalse(rendered.contains("${"));
    var json = new ObjectMapper().readTree(rendered);
    assertEquals(
        "arn:aws:sqs:us-east-1:000000000000:activator-queue",
        json.at("/States/RouteBySourceQueue/Choices/0/StringEquals").asText());
  }
}
