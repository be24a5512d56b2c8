package dev.hsipipeline.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExecutionNamesTest {

  @Test
  void uuidMessageIdsAreUsedUnchanged() {
    String id = UUID.randomUUID().toString();
    assertEquals(id, ExecutionNames.fromMessageId(id));
  }

  @Test
  void oddIdsGiveValidNamesWithinEightyCharacters() {
    List<String> odd =
        List.of(
            "",
            "x".repeat(200),
            "a b?c*d<e>f{g}h[i]\"#%\\^|~`$&,;:/",
            "émission-🚀",
            "tab\there\u0001\u007f\u0085",
            "\uD83D",
            "x".repeat(80),
            "x".repeat(81));
    for (String id : odd) {
      String name = ExecutionNames.fromMessageId(id);
      assertTrue(ExecutionNames.isValidAwsName(name), () -> "invalid name " + name + " for " + id);
      assertTrue(name.length() <= 80);
      assertEquals(name, ExecutionNames.fromMessageId(id), "deterministic");
    }
    assertEquals("x".repeat(80), ExecutionNames.fromMessageId("x".repeat(80)));
    assertTrue(ExecutionNames.isValidAwsName(ExecutionNames.fromMessageId(null)));
  }

  @Test
  void idsThatSanitizeAlikeStillGetDistinctNames() {
    Set<String> names = new HashSet<>();
    for (String id :
        List.of(
            "a:b",
            "a/b",
            "a b",
            "a-b",
            "a_b",
            "a.b",
            "a\u00e9b",
            "x".repeat(100) + "1",
            "x".repeat(100) + "2",
            "")) {
      assertTrue(names.add(ExecutionNames.fromMessageId(id)), id);
    }
    // A plain id never looks like a hashed name: those always contain '_', plain ones never.
    String hashed = ExecutionNames.fromMessageId("a:b");
    assertTrue(hashed.contains("_"));
    assertNotEquals(hashed, ExecutionNames.fromMessageId(hashed));
  }

  @Test
  void validityCheckRejectsForbiddenCharacters() {
    for (String bad :
        List.of("", "a b", "a:b", "a/b", "a\u0007", "a\u0085", "x".repeat(81), "a{b", "a$b")) {
      assertFalse(ExecutionNames.isValidAwsName(bad), bad);
    }
  }
}
