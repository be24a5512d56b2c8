package dev.hsipipeline.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
