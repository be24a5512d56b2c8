package dev.hsipipeline.bench.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load with faults (short form in CI: 2 000 messages; {@code ./pipeline soak}: 10 000): every
 * distinct message ends as exactly one execution with the expected outcome or as a DLQ entry, while
 * the trigger crashes mid-batch, batches are delivered twice, visibility timeouts expire under slow
 * invocations, 10 % of jobs fail transiently and some permanently.
 */
@Tag("reliability")
class LoadWithFaultsTest {
  @TempDir Path dir;

  @Test
  void accountsForEveryMessageUnderFaults() throws Exception {
    Repo.triggerJar();
    Scenarios.Scale scale = Scenarios.Scale.fromSystemProperties();
    Ledger ledger = Scenarios.loadWithFaults(Repo.root(), dir, scale, 42, System.out);

    assertEquals(
        scale.loadMessages(), ledger.sent(), "every message must have been accepted by SQS");
    assertEquals(0, ledger.lost(), () -> "lost messages: " + ledger.problems());
    assertEquals(0, ledger.duplicated(), () -> "duplicated executions: " + ledger.problems());
    assertEquals(0, ledger.wrongOutcome(), () -> "wrong outcomes: " + ledger.problems());
    // The faults must really have happened, or the ledger proves nothing.
    for (String fault :
        new String[] {
          "trigger crashes mid-batch",
          "duplicate batch deliveries",
          "visibility timeouts expired",
          "transient job failures",
          "permanent job failures",
          "non-JSON bodies"
        }) {
      assertTrue(
          ledger.injected().getOrDefault(fault, 0L) > 0,
          fault + " were not injected: " + ledger.injected());
    }
    assertTrue(ledger.outcomes().get("DLQ entries") > 0, "the non-JSON bodies must be in the DLQs");
  }
}
