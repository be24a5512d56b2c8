package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.sfn.asl.internal.DefinitionParser;
import dev.hsipipeline.local.sfn.asl.internal.StateMachine;
import java.util.List;

/**
 * A parsed and fully validated Amazon States Language definition. Immutable and thread-safe: one
 * instance serves any number of concurrent executions. Every path, template and intrinsic function
 * is compiled once here, never per execution.
 */
public final class AslDefinition {
  private final JsonNode json;
  private final StateMachine machine;

  private AslDefinition(JsonNode json, StateMachine machine) {
    this.json = json;
    this.machine = machine;
  }

  /**
   * Parses and validates a definition.
   *
   * @throws AslValidationException listing every error found, each with its JSON location
   */
  public static AslDefinition parse(String json) throws AslValidationException {
    DefinitionParser.Parsed parsed = DefinitionParser.parse(json);
    if (!parsed.errors().isEmpty()) {
      throw new AslValidationException(parsed.errors());
    }
    return new AslDefinition(parsed.json(), parsed.machine());
  }

  /** Validates without keeping the result; an empty list means valid. */
  public static List<ValidationError> validate(String json) {
    return DefinitionParser.parse(json).errors();
  }

  /** The definition as JSON (for DescribeStateMachine and the console graph). Do not modify. */
  public JsonNode json() {
    return json;
  }

  /** The top level's TimeoutSeconds, or 0 when the definition sets none. */
  public long timeoutSeconds() {
    return machine.timeoutSeconds();
  }

  StateMachine machine() {
    return machine;
  }
}
