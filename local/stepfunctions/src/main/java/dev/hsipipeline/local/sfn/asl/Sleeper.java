package dev.hsipipeline.local.sfn.asl;

import java.time.Duration;

/**
 * How the interpreter waits for Wait states and Retry back-off. The default sleeps for real and
 * wakes early when the execution times out; tests pass one that records the requested delays.
 */
@FunctionalInterface
public interface Sleeper {
  /** Blocks for {@code duration}; must throw {@link InterruptedException} when interrupted. */
  void sleep(Duration duration) throws InterruptedException;
}
