package dev.hsipipeline.bench.internal;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every benchmark needs: the repository, a scratch folder, how many runs to take the median
 * of, and whether this is the short {@code --quick} form.
 *
 * @param repoRoot the repository (artifacts under {@code <module>/target}, peers under {@code
 *     bench/})
 * @param work a scratch folder, deleted by the caller
 * @param runs runs per variant (the median is reported)
 * @param quick smaller sizes for a fast sanity run
 * @param log progress lines
 */
public record BenchContext(Path repoRoot, Path work, int runs, boolean quick, PrintStream log) {

  /** The deployable trigger jar, which must have been built. */
  public Path triggerJar() {
    Path jar = repoRoot.resolve("lambdas/sfn-trigger/target/sfn-trigger.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run ./pipeline build first");
    }
    return jar;
  }

  public void progress(String line) {
    log.println("bench: " + line);
    log.flush();
  }
}
