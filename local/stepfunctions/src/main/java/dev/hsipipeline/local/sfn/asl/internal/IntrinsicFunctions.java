package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringTokenizer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The States.* intrinsic functions, applied to evaluated arguments. */
final class IntrinsicFunctions {
  /** Every function with its [min, max] number of arguments (checked when parsing). */
  static final Map<String, int[]> ARITY =
      Map.ofEntries(
          Map.entry("States.Format", new int[] {1, Integer.MAX_VALUE}),
          Map.entry("States.StringToJson", new int[] {1, 1}),
          Map.entry("States.JsonToString", new int[] {1, 1}),
          Map.entry("States.Array", new int[] {0, Integer.MAX_VALUE}),
          Map.entry("States.ArrayPartition", new int[] {2, 2}),
          Map.entry("States.ArrayContains", new int[] {2, 2}),
          Map.entry("States.ArrayRange", new int[] {3, 3}),
          Map.entry("States.ArrayGetItem", new int[] {2, 2}),
          Map.entry("States.ArrayLength", new int[] {1, 1}),
          Map.entry("States.ArrayUnique", new int[] {1, 1}),
          Map.entry("States.Base64Encode", new int[] {1, 1}),
          Map.entry("States.Base64Decode", new int[] {1, 1}),
          Map.entry("States.Hash", new int[] {2, 2}),
          Map.entry("States.JsonMerge", new int[] {3, 3}),
          Map.entry("States.MathRandom", new int[] {2, 3}),
          Map.entry("States.MathAdd", new int[] {2, 2}),
          Map.entry("States.StringSplit", new int[] {2, 2}),
          Map.entry("States.UUID", new int[] {0, 0}));

  private static final Set<String> HASH_ALGORITHMS =
      Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

  private IntrinsicFunctions() {}

  /** Runs function {@code fn} on evaluated arguments. */
  static JsonNode apply(String fn, List<JsonNode> a) throws StateFailure {
    switch (fn) {
      case "States.StringToJson":
        {
          try {
            return Json.MAPPER.readTree(str(fn, a, 0));
          } catch (JsonProcessingException e) {
            throw Intrinsic.fail(
                fn + ": the argument is not valid JSON: " + e.getOriginalMessage());
          }
        }
      case "States.JsonToString":
        return Json.NODES.textNode(Json.write(a.get(0)));
      case "States.Array":
        {
          ArrayNode arr = Json.NODES.arrayNode(a.size());
          arr.addAll(a);
          return arr;
        }
      case "States.ArrayPartition":
        {
          ArrayNode arr = array(fn, a, 0);
          long size = integer(fn, a, 1);
          if (size <= 0) {
            throw Intrinsic.fail(fn + ": the chunk size must be a positive integer, got " + size);
          }
          ArrayNode out = Json.NODES.arrayNode();
          ArrayNode chunk = null;
          for (JsonNode item : arr) {
            if (chunk == null || chunk.size() == size) {
              chunk = out.addArray();
            }
            chunk.add(item);
          }
          return out;
        }
      case "States.ArrayContains":
        {
          ArrayNode arr = array(fn, a, 0);
          for (JsonNode item : arr) {
            if (jsonEquals(item, a.get(1))) {
              return Json.NODES.booleanNode(true);
            }
          }
          return Json.NODES.booleanNode(false);
        }
      case "States.ArrayRange":
        {
          long start = integer(fn, a, 0);
          long end = integer(fn, a, 1);
          long step = integer(fn, a, 2);
          if (step == 0) {
            throw Intrinsic.fail(fn + ": the step must not be 0");
          }
          ArrayNode out = Json.NODES.arrayNode();
          for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
            if (out.size() == 1000) {
              throw Intrinsic.fail(fn + ": the range would have more than 1000 elements");
            }
            out.add(v);
          }
          return out;
        }
      case "States.ArrayGetItem":
        {
          ArrayNode arr = array(fn, a, 0);
          long idx = integer(fn, a, 1);
          if (idx < 0 || idx >= arr.size()) {
            throw Intrinsic.fail(
                fn + ": index " + idx + " is out of bounds for an array of length " + arr.size());
          }
          return arr.get((int) idx);
        }
      case "States.ArrayLength":
        return Json.NODES.numberNode(array(fn, a, 0).size());
      case "States.ArrayUnique":
        {
          Set<JsonNode> seen = new LinkedHashSet<>();
          for (JsonNode item : array(fn, a, 0)) {
            if (seen.stream().noneMatch(s -> jsonEquals(s, item))) {
              seen.add(item);
            }
          }
          ArrayNode out = Json.NODES.arrayNode();
          out.addAll(seen);
          return out;
        }
      case "States.Base64Encode":
        {
          String s = str(fn, a, 0);
          if (s.length() > 10_000) {
            throw Intrinsic.fail(fn + ": the input is longer than 10000 characters");
          }
          return Json.NODES.textNode(
              Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        }
      case "States.Base64Decode":
        {
          String s = str(fn, a, 0);
          if (s.length() > 10_000) {
            throw Intrinsic.fail(fn + ": the input is longer than 10000 characters");
          }
          try {
            return Json.NODES.textNode(
                new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            throw Intrinsic.fail(fn + ": the input is not valid Base64: " + e.getMessage());
          }
        }
      case "States.Hash":
        {
          JsonNode data = a.get(0);
          if (data.isNull()) {
            throw Intrinsic.fail(fn + ": the data to hash must not be null");
          }
          String s = data.isTextual() ? data.textValue() : Json.write(data);
          if (s.length() > 10_000) {
            throw Intrinsic.fail(fn + ": the input is longer than 10000 characters");
          }
          String alg = str(fn, a, 1);
          if (!HASH_ALGORITHMS.contains(alg)) {
            throw Intrinsic.fail(
                fn
                    + ": unsupported algorithm '"
                    + alg
                    + "', expected one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
          }
          try {
            byte[] digest =
                MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8));
            return Json.NODES.textNode(HexFormat.of().formatHex(digest));
          } catch (NoSuchAlgorithmException e) {
            throw Intrinsic.fail(fn + ": " + e.getMessage());
          }
        }
      case "States.JsonMerge":
        {
          ObjectNode left = object(fn, a, 0);
          ObjectNode right = object(fn, a, 1);
          JsonNode deep = a.get(2);
          if (!deep.isBoolean()) {
            throw Intrinsic.fail(fn + ": the third argument must be a boolean");
          }
          if (deep.booleanValue()) {
            throw Intrinsic.fail(
                fn + ": deep merge (true) is not supported; only shallow merge (false) is");
          }
          ObjectNode out = Json.object();
          out.setAll(left);
          out.setAll(right);
          return out;
        }
      case "States.MathRandom":
        {
          long start = integer(fn, a, 0);
          long end = integer(fn, a, 1);
          if (end <= start) {
            throw Intrinsic.fail(
                fn + ": the end (" + end + ") must be greater than the start (" + start + ")");
          }
          long v;
          if (a.size() == 3) {
            v = start + (long) (new Random(integer(fn, a, 2)).nextDouble() * (end - start));
          } else {
            v = ThreadLocalRandom.current().nextLong(start, end);
          }
          return Json.NODES.numberNode(v);
        }
      case "States.MathAdd":
        {
          BigDecimal x = number(fn, a, 0);
          BigDecimal y = number(fn, a, 1);
          BigDecimal sum = x.add(y);
          try {
            return Json.NODES.numberNode(sum.toBigIntegerExact().longValueExact());
          } catch (ArithmeticException e) {
            return Json.NODES.numberNode(sum);
          }
        }
      case "States.StringSplit":
        {
          String s = str(fn, a, 0);
          String delims = str(fn, a, 1);
          ArrayNode out = Json.NODES.arrayNode();
          StringTokenizer t = new StringTokenizer(s, delims);
          while (t.hasMoreTokens()) {
            out.add(t.nextToken());
          }
          return out;
        }
      case "States.UUID":
        return Json.NODES.textNode(UUID.randomUUID().toString());
      default:
        throw Intrinsic.fail("unknown intrinsic function " + fn);
    }
  }

  private static boolean jsonEquals(JsonNode x, JsonNode y) {
    if (x.isNumber() && y.isNumber()) {
      return x.decimalValue().compareTo(y.decimalValue()) == 0;
    }
    return x.equals(y);
  }

  private static String str(String fn, List<JsonNode> a, int i) throws StateFailure {
    JsonNode v = a.get(i);
    if (!v.isTextual()) {
      throw Intrinsic.fail(
          fn + ": argument " + (i + 1) + " must be a string, not " + Json.typeName(v));
    }
    return v.textValue();
  }

  private static ArrayNode array(String fn, List<JsonNode> a, int i) throws StateFailure {
    JsonNode v = a.get(i);
    if (!v.isArray()) {
      throw Intrinsic.fail(
          fn + ": argument " + (i + 1) + " must be an array, not " + Json.typeName(v));
    }
    return (ArrayNode) v;
  }

  private static ObjectNode object(String fn, List<JsonNode> a, int i) throws StateFailure {
    JsonNode v = a.get(i);
    if (!v.isObject()) {
      throw Intrinsic.fail(
          fn + ": argument " + (i + 1) + " must be an object, not " + Json.typeName(v));
    }
    return (ObjectNode) v;
  }

  private static BigDecimal number(String fn, List<JsonNode> a, int i) throws StateFailure {
    JsonNode v = a.get(i);
    if (!v.isNumber()) {
      throw Intrinsic.fail(
          fn + ": argument " + (i + 1) + " must be a number, not " + Json.typeName(v));
    }
    return v.decimalValue();
  }

  private static long integer(String fn, List<JsonNode> a, int i) throws StateFailure {
    BigDecimal d = number(fn, a, i);
    try {
      return d.stripTrailingZeros().toBigIntegerExact().longValueExact();
    } catch (ArithmeticException e) {
      throw Intrinsic.fail(
          fn + ": argument " + (i + 1) + " must be an integer, got " + d.toPlainString());
    }
  }
}
