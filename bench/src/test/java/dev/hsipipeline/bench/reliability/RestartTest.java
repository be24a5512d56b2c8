package dev.hsipipeline.bench.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart: the stack runs in a child JVM, is killed with SIGKILL mid-load and started again on the
 * same data dir; no message may be lost or duplicated and no execution listed before the kill may
 * be missing after it. Executions the kill interrupted resume in the state they were in and end
 * with the outcome their message calls for.
 */
@Tag("reliability")
class RestartTest {
  @TempDir Path dir;

  @Test
  void killNineMidLoadLosesNothing() throws Exception {
    Repo.triggerJar();
    Ledger ledger =
        Scenarios.restart(Repo.root(), dir, Scenarios.Scale.fromSystemProperties(), System.out);
    assertEquals(0, ledger.lost(), () -> "lost: " + ledger.problems());
    assertEquals(0, ledger.duplicated(), () -> "duplicated: " + ledger.problems());
    assertEquals(0, ledger.wrongOutcome(), () -> "wrong outcomes: " + ledger.problems());
    // Without interrupted executions the kill tested nothing about resuming them.
    long resumed = ledger.injected().getOrDefault(Scenarios.RESUMED, 0L);
    assertTrue(resumed > 0, () -> "no execution was interrupted and resumed: " + ledger.injected());
  }
}
