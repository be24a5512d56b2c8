package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** A compiled Choice Rule: a comparison, or And/Or/Not over nested rules. */
public sealed interface ChoiceRule {

  /** Evaluates the rule; a missing Variable (except for IsPresent) is a States.Runtime error. */
  boolean test(JsonNode input, ContextObject ctx) throws StateFailure;

  record And(List<ChoiceRule> rules) implements ChoiceRule {
    @Override
    public boolean test(JsonNode input, ContextObject ctx) throws StateFailure {
      for (ChoiceRule r : rules) {
        if (!r.test(input, ctx)) {
          return false;
        }
      }
      return true;
    }
  }

  record Or(List<ChoiceRule> rules) implements ChoiceRule {
    @Override
    public boolean test(JsonNode input, ContextObject ctx) throws StateFailure {
      for (ChoiceRule r : rules) {
        if (r.test(input, ctx)) {
          return true;
        }
      }
      return false;
    }
  }

  record Not(ChoiceRule rule) implements ChoiceRule {
    @Override
    public boolean test(JsonNode input, ContextObject ctx) throws StateFailure {
      return !rule.test(input, ctx);
    }
  }

  /** The comparison operators; each knows the JSON type its operand must have. */
  enum Kind {
    STRING,
    NUMERIC,
    BOOLEAN,
    TIMESTAMP,
    TYPE_TEST
  }

  /** {@code Variable} compared by {@code operator} to a literal or to the value at a path. */
  record Comparison(
      Path variable, String operator, JsonNode literal, Path valuePath, Pattern matches)
      implements ChoiceRule {

    Comparison(Path variable, String operator, JsonNode literal, Path valuePath) {
      this(
          variable,
          operator,
          literal,
          valuePath,
          operator.equals("StringMatches") && literal != null && literal.isTextual()
              ? wildcard(literal.textValue())
              : null);
    }

    @Override
    public boolean test(JsonNode input, ContextObject ctx) throws StateFailure {
      JsonNode v = variable.read(input, ctx);
      if (operator.equals("IsPresent")) {
        return (v != null) == literal.booleanValue();
      }
      if (v == null) {
        throw new StateFailure(
            Errors.RUNTIME,
            "Invalid path '"
                + variable.text()
                + "': The choice state's condition path references an invalid value.");
      }
      JsonNode other = literal;
      if (valuePath != null) {
        other = valuePath.read(input, ctx);
        if (other == null) {
          throw new StateFailure(
              Errors.RUNTIME,
              "Invalid path '"
                  + valuePath.text()
                  + "': The choice state's condition path references an invalid value.");
        }
      }
      String op = valuePath != null ? operator.substring(0, operator.length() - 4) : operator;
      return switch (op) {
        case "IsNull" -> v.isNull() == other.booleanValue();
        case "IsNumeric" -> v.isNumber() == other.booleanValue();
        case "IsString" -> v.isTextual() == other.booleanValue();
        case "IsBoolean" -> v.isBoolean() == other.booleanValue();
        case "IsTimestamp" ->
            (v.isTextual() && parseTimestamp(v.textValue()) != null) == other.booleanValue();
        case "StringMatches" -> v.isTextual() && matches.matcher(v.textValue()).matches();
        case "BooleanEquals" ->
            v.isBoolean() && other.isBoolean() && v.booleanValue() == other.booleanValue();
        default -> compare(op, v, other);
      };
    }

    private static boolean compare(String op, JsonNode v, JsonNode other) {
      int cmp;
      String relation;
      if (op.startsWith("String")) {
        if (!v.isTextual() || !other.isTextual()) {
          return false;
        }
        cmp = v.textValue().compareTo(other.textValue());
        relation = op.substring(6);
      } else if (op.startsWith("Numeric")) {
        if (!v.isNumber() || !other.isNumber()) {
          return false;
        }
        cmp =
            (v.isIntegralNumber()
                    && other.isIntegralNumber()
                    && v.canConvertToLong()
                    && other.canConvertToLong())
                ? Long.compare(v.longValue(), other.longValue())
                : v.decimalValue().compareTo(other.decimalValue());
        relation = op.substring(7);
      } else {
        if (!v.isTextual() || !other.isTextual()) {
          return false;
        }
        OffsetDateTime a = parseTimestamp(v.textValue());
        OffsetDateTime b = parseTimestamp(other.textValue());
        if (a == null || b == null) {
          return false;
        }
        cmp = a.toInstant().compareTo(b.toInstant());
        relation = op.substring(9);
      }
      return switch (relation) {
        case "Equals" -> cmp == 0;
        case "LessThan" -> cmp < 0;
        case "GreaterThan" -> cmp > 0;
        case "LessThanEquals" -> cmp <= 0;
        case "GreaterThanEquals" -> cmp >= 0;
        default -> false;
      };
    }
  }

  Set<String> RELATIONS =
      Set.of("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals");

  Set<String> TYPE_TESTS =
      Set.of("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp");

  /** The operand kind of a comparison operator, or null when the name is not an operator. */
  static Kind kindOf(String op) {
    String base =
        op.endsWith("Path") && !TYPE_TESTS.contains(op) ? op.substring(0, op.length() - 4) : op;
    if (TYPE_TESTS.contains(op)) {
      return Kind.TYPE_TEST;
    }
    if (base.equals("StringMatches")) {
      return op.equals(base) ? Kind.STRING : null; // there is no StringMatchesPath
    }
    if (base.equals("BooleanEquals")) {
      return Kind.BOOLEAN;
    }
    for (String prefix : new String[] {"String", "Numeric", "Timestamp"}) {
      if (base.startsWith(prefix) && RELATIONS.contains(base.substring(prefix.length()))) {
        return switch (prefix) {
          case "String" -> Kind.STRING;
          case "Numeric" -> Kind.NUMERIC;
          default -> Kind.TIMESTAMP;
        };
      }
    }
    return null;
  }

  /**
   * RFC 3339 timestamps as AWS accepts them: uppercase T separating date and time, Z or a numeric
   * offset; returns null otherwise.
   */
  static OffsetDateTime parseTimestamp(String s) {
    if (s.length() < 20 || s.charAt(10) != 'T') {
      return null;
    }
    char last = s.charAt(s.length() - 1);
    if (Character.isLetter(last) && last != 'Z') {
      return null;
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * StringMatches: {@code *} matches any run of characters; {@code \*} and {@code \\} are literal.
   */
  static Pattern wildcard(String pattern) {
    StringBuilder re = new StringBuilder();
    StringBuilder lit = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        lit.append(pattern.charAt(++i));
      } else if (c == '*') {
        if (!lit.isEmpty()) {
          re.append(Pattern.quote(lit.toString()));
          lit.setLength(0);
        }
        re.append(".*");
      } else {
        lit.append(c);
      }
    }
    if (!lit.isEmpty()) {
      re.append(Pattern.quote(lit.toString()));
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** Compiles a rule, reporting every problem; returns null when the rule is unusable. */
  static ChoiceRule compile(JsonNode rule, String loc, boolean topLevel, Problems problems) {
    if (!rule.isObject()) {
      problems.add(Problems.SCHEMA, loc, "A Choice Rule must be a JSON object");
      return null;
    }
    List<String> operators = new ArrayList<>();
    for (Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (f.equals("And") || f.equals("Or") || f.equals("Not") || kindOf(f) != null) {
        operators.add(f);
      } else if (!f.equals("Variable") && !f.equals("Comment") && !(topLevel && f.equals("Next"))) {
        problems.add(
            Problems.SCHEMA,
            loc + "/" + Problems.seg(f),
            "Field '"
                + f
                + "' is not supported in a "
                + (topLevel ? "" : "nested ")
                + "Choice Rule");
      }
    }
    if (topLevel && !rule.hasNonNull("Next")) {
      problems.add(Problems.SCHEMA, loc, "A top-level Choice Rule must have a 'Next' field");
    }
    if (operators.isEmpty()) {
      problems.add(
          Problems.SCHEMA,
          loc,
          "The Choice Rule has no comparison operator (e.g. StringEquals) and no And/Or/Not");
      return null;
    }
    if (operators.size() > 1) {
      problems.add(
          Problems.SCHEMA,
          loc,
          "The Choice Rule has more than one comparison: "
              + String.join(", ", operators)
              + "; use And/Or to combine them");
      return null;
    }
    String op = operators.get(0);
    JsonNode value = rule.get(op);
    String opLoc = loc + "/" + op;
    if (op.equals("And") || op.equals("Or")) {
      if (rule.has("Variable")) {
        problems.add(Problems.SCHEMA, loc + "/Variable", "'Variable' is not allowed next to " + op);
      }
      if (!value.isArray() || value.isEmpty()) {
        problems.add(Problems.SCHEMA, opLoc, op + " must be a non-empty array of Choice Rules");
        return null;
      }
      List<ChoiceRule> nested = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        nested.add(compile(value.get(i), opLoc + "/" + i, false, problems));
      }
      if (nested.contains(null)) {
        return null;
      }
      return op.equals("And") ? new And(List.copyOf(nested)) : new Or(List.copyOf(nested));
    }
    if (op.equals("Not")) {
      if (rule.has("Variable")) {
        problems.add(Problems.SCHEMA, loc + "/Variable", "'Variable' is not allowed next to Not");
      }
      if (!value.isObject()) {
        problems.add(Problems.SCHEMA, opLoc, "Not must be a single Choice Rule object");
        return null;
      }
      ChoiceRule inner = compile(value, opLoc, false, problems);
      return inner == null ? null : new Not(inner);
    }
    JsonNode varNode = rule.get("Variable");
    Path variable = null;
    if (varNode == null || !varNode.isTextual()) {
      problems.add(
          Problems.SCHEMA,
          loc + "/Variable",
          "The comparison " + op + " needs a 'Variable' string");
    } else {
      try {
        variable = Path.compile(varNode.textValue());
      } catch (IllegalArgumentException e) {
        problems.add(
            Problems.INVALID_PATH,
            loc + "/Variable",
            "Invalid JSONPath '" + varNode.textValue() + "': " + e.getMessage());
      }
    }
    Kind kind = kindOf(op);
    boolean isPath = op.endsWith("Path") && kind != Kind.TYPE_TEST;
    Path valuePath = null;
    if (isPath) {
      if (!value.isTextual()) {
        problems.add(Problems.SCHEMA, opLoc, op + " must be a string holding a JSONPath");
      } else {
        try {
          valuePath = Path.compile(value.textValue());
        } catch (IllegalArgumentException e) {
          problems.add(
              Problems.INVALID_PATH,
              opLoc,
              "Invalid JSONPath '" + value.textValue() + "': " + e.getMessage());
        }
      }
    } else {
      boolean ok =
          switch (kind) {
            case STRING -> value.isTextual();
            case NUMERIC -> value.isNumber();
            case BOOLEAN, TYPE_TEST -> value.isBoolean();
            case TIMESTAMP -> value.isTextual() && parseTimestamp(value.textValue()) != null;
          };
      if (!ok) {
        String expected =
            switch (kind) {
              case STRING -> "a string";
              case NUMERIC -> "a number";
              case BOOLEAN, TYPE_TEST -> "a boolean";
              case TIMESTAMP -> "an RFC 3339 timestamp string (e.g. 2016-03-14T01:59:00Z)";
            };
        problems.add(Problems.SCHEMA, opLoc, op + " must be " + expected + ", got " + value);
      }
    }
    if (variable == null || (isPath && valuePath == null)) {
      return null;
    }
    return new Comparison(variable, op, isPath ? null : value, valuePath);
  }
}
