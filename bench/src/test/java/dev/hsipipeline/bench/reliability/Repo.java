package dev.hsipipeline.bench.reliability;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hsipipeline.local.StackSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository under test and the built artifacts the suite runs. */
final class Repo {
  private Repo() {}

  static Path root() {
    return StackSettings.findRepoRoot();
  }

  /** The deployable trigger jar; the reactor builds it before this module. */
  static Path triggerJar() {
    Path jar = root().resolve("lambdas/sfn-trigger/target/sfn-trigger.jar");
    assumeTrue(Files.isRegularFile(jar), "build the trigger first: " + jar);
    return jar;
  }
}
