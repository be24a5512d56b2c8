package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * One state's definition while it is parsed: its JSON and location, the fields every state shares
 * (already read and checked by {@link DefinitionParser}), and what a state type's own {@code parse}
 * needs: the field readers, its transitions, and nested machines (Parallel branches, Map
 * processors).
 */
final class StateSpec {
  /** A transition to {@code target}, declared at {@code location} (Next, Default, a Catcher). */
  record Transition(String target, String location) {}

  final String name;
  final JsonNode node;
  final String loc;

  /** Next, or null (End, or a state type without Next). */
  final String next;

  final IoPath inputPath;
  final IoPath outputPath;
  final Fields fields;
  private final List<Transition> transitions;
  private final DefinitionParser parser;

  StateSpec(
      String name,
      JsonNode node,
      String loc,
      String next,
      IoPath inputPath,
      IoPath outputPath,
      Fields fields,
      List<Transition> transitions,
      DefinitionParser parser) {
    this.name = name;
    this.node = node;
    this.loc = loc;
    this.next = next;
    this.inputPath = inputPath;
    this.outputPath = outputPath;
    this.fields = fields;
    this.transitions = transitions;
    this.parser = parser;
  }

  /** Declares a transition; that a state named {@code target} exists is checked later. */
  void transition(String target, String location) {
    transitions.add(new Transition(target, location));
  }

  /** Parses a nested machine (a branch or item processor) at {@code location}. */
  StateMachine nested(JsonNode machine, String location, Set<String> allowedFields) {
    return parser.machine(machine, location, allowedFields, false);
  }

  void problem(String code, String location, String message) {
    fields.problem(code, location, message);
  }
}
