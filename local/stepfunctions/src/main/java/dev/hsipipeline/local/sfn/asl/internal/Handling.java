package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields Task, Parallel and Map share around their work: Parameters (Task/Parallel only; Map
 * applies its template per item), ResultSelector, ResultPath, Retry and Catch.
 */
public record Handling(
    PayloadTemplate parameters,
    PayloadTemplate resultSelector,
    ResultPathField resultPath,
    List<Retrier> retriers,
    List<Catcher> catchers) {

  /** Reads these fields of a Task ({@code withParameters}), Parallel (same) or Map state. */
  static Handling parse(StateSpec s, boolean withParameters) {
    PayloadTemplate parameters =
        withParameters ? s.fields.template(s.node, "Parameters", s.loc) : null;
    PayloadTemplate selector = s.fields.template(s.node, "ResultSelector", s.loc);
    return new Handling(
        parameters,
        selector,
        s.fields.resultPath(s.node, s.loc),
        Retrier.parseAll(s.node, s.loc, s.fields),
        Catcher.parseAll(s));
  }

  /**
   * ErrorEquals of a Retrier or Catcher ({@code what}) at {@code l}: a non-empty array of names,
   * States.ALL alone and only in the {@code last} one.
   */
  static List<String> errorEquals(JsonNode r, String l, boolean last, String what, Fields f) {
    JsonNode e = r.get("ErrorEquals");
    List<String> errors = new ArrayList<>();
    if (e == null || !e.isArray() || e.isEmpty()) {
      f.problem(
          Problems.SCHEMA,
          l + "/ErrorEquals",
          "A " + what + " needs a non-empty 'ErrorEquals' array of error names");
      return errors;
    }
    for (int j = 0; j < e.size(); j++) {
      if (!e.get(j).isTextual()) {
        f.problem(Problems.SCHEMA, l + "/ErrorEquals/" + j, "Error names must be strings");
      } else {
        errors.add(e.get(j).textValue());
      }
    }
    if (errors.contains(Errors.ALL)) {
      if (errors.size() > 1) {
        f.problem(
            Problems.SCHEMA, l + "/ErrorEquals", "'States.ALL' must appear alone in ErrorEquals");
      }
      if (!last) {
        f.problem(
            Problems.SCHEMA,
            l + "/ErrorEquals",
            "A " + what + " with 'States.ALL' must be the last one");
      }
    }
    return List.copyOf(errors);
  }
}
