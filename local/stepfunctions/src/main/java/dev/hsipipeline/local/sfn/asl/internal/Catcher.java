package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One Catch entry: on a matching error, {@code {Error, Cause}} goes to ResultPath, then Next. */
public record Catcher(List<String> errorEquals, String next, ResultPathField resultPath) {
  private static final Set<String> FIELDS = Set.of("ErrorEquals", "Next", "ResultPath", "Comment");

  /** The state's Catch array; each Catcher's Next is declared as a transition. */
  static List<Catcher> parseAll(StateSpec s) {
    JsonNode c = s.node.get("Catch");
    if (c == null) {
      return List.of();
    }
    String cloc = s.loc + "/Catch";
    if (!c.isArray()) {
      s.problem(Problems.SCHEMA, cloc, "'Catch' must be an array of Catchers");
      return List.of();
    }
    List<Catcher> out = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      JsonNode r = c.get(i);
      String l = cloc + "/" + i;
      if (!r.isObject()) {
        s.problem(Problems.SCHEMA, l, "A Catcher must be an object");
        continue;
      }
      s.fields.onlyFields(r, l, FIELDS, "Catcher");
      List<String> errors = Handling.errorEquals(r, l, i == c.size() - 1, "Catcher", s.fields);
      JsonNode next = r.get("Next");
      if (next == null || !next.isTextual()) {
        s.problem(
            Problems.SCHEMA, l + "/Next", "A Catcher needs 'Next', the name of the state to go to");
        continue;
      }
      s.transition(next.textValue(), l + "/Next");
      out.add(new Catcher(errors, next.textValue(), s.fields.resultPath(r, l)));
    }
    return List.copyOf(out);
  }

  boolean matches(String error) {
    for (String e : errorEquals) {
      if (Errors.matches(e, error)) {
        return true;
      }
    }
    return false;
  }
}
