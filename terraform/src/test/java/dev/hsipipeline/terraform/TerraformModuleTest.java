package dev.hsipipeline.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Terraform root module's offline checks, as CI runs them: formatting, validation and the
 * mocked-provider tests in {@code terraform/tests/*.tftest.hcl}. Fails with terraform's output.
 */
@ExtendWith(TerraformWorkspace.Extension.class)
class TerraformModuleTest {

  @Test
  void moduleIsFormattedCanonically(TerraformWorkspace tf) {
    tf.runOk("fmt", "-check", "-recursive", "-diff", "-no-color");
  }

  @Test
  void committedLockFilePinsTheProviderInitInstalled(TerraformWorkspace tf) throws IOException {
    Path committed = tf.repoRoot().resolve("terraform/.terraform.lock.hcl");
    assertTrue(Files.isRegularFile(committed), "terraform/.terraform.lock.hcl must be committed");
    String lock = Files.readString(committed);
    assertTrue(
        lock.contains("provider \"registry.terraform.io/hashicorp/aws\"") && lock.contains("\"h1:"),
        "the lock file must pin hashicorp/aws with a package hash:\n" + lock);
    // init ran with -lockfile=readonly against the mirror: it verified the hash and changed
    // nothing.
    assertEquals(
        lock,
        Files.readString(tf.moduleDir().resolve(".terraform.lock.hcl")),
        "terraform init must leave the committed lock file as it is");
  }

  @Test
  void everyVariableHasADescriptionATypeAndADefaultOrAValidation(TerraformWorkspace tf)
      throws IOException {
    List<String> problems = new ArrayList<>();
    int count = 0;
    for (Path file : tfFiles(tf)) {
      String text = Files.readString(file);
      Matcher m = VARIABLE.matcher(text);
      while (m.find()) {
        count++;
        String body = block(text, m.end() - 1);
        String name = file.getFileName() + ": variable \"" + m.group(1) + "\"";
        if (!body.matches("(?s).*\\n\\s*description\\s*=\\s*\"[^\"]{10,}.*")) {
          problems.add(name + " has no description");
        }
        if (!body.matches("(?s).*\\n\\s*type\\s*=.*")) {
          problems.add(name + " has no type");
        }
        if (!body.matches("(?s).*\\n\\s*(default\\s*=|validation\\s*\\{).*")) {
          problems.add(name + " has neither a default nor a validation");
        }
      }
    }
    assertTrue(count >= 30, "expected the module's variables, found " + count);
    assertEquals(List.of(), problems);
  }

  @Test
  void moduleValidates(TerraformWorkspace tf) {
    tf.runOk("validate", "-no-color");
  }

  @Test
  void terraformTestsPass(TerraformWorkspace tf) throws IOException {
    List<String> args = new ArrayList<>(List.of("test", "-no-color"));
    // The agreement file runs in LocalStackAgreementTest (with -json), not twice.
    for (Path file : testFiles(tf)) {
      if (!file.getFileName().toString().equals(LocalStackAgreementTest.STATE_TEST_FILE)) {
        args.add("-filter=tests/" + file.getFileName());
      }
    }
    TerraformWorkspace.Result r = tf.runOk(args.toArray(String[]::new));
    assertTrue(
        r.output().contains("Success!") && r.output().contains(" 0 failed"),
        "terraform test did not report success:\n" + r.describe());
  }

  private static final Pattern VARIABLE =
      Pattern.compile("(?m)^variable\\s+\"([A-Za-z0-9_-]+)\"\\s*\\{");

  private static List<Path> tfFiles(TerraformWorkspace tf) throws IOException {
    try (Stream<Path> files = Files.list(tf.moduleDir())) {
      return files.filter(f -> f.getFileName().toString().endsWith(".tf")).sorted().toList();
    }
  }

  /** The text of the block whose opening brace is at {@code open}, up to its closing brace. */
  private static String block(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return text.substring(open, i + 1);
      }
    }
    throw new IllegalStateException("unclosed block at offset " + open);
  }

  private static List<Path> testFiles(TerraformWorkspace tf) throws IOException {
    try (Stream<Path> files = Files.list(tf.moduleDir().resolve("tests"))) {
      List<Path> list =
          files.filter(f -> f.getFileName().toString().endsWith(".tftest.hcl")).sorted().toList();
      assertTrue(
          list.size() >= 3,
          "expected the module's test files under terraform/tests, found " + list);
      return list;
    }
  }
}
