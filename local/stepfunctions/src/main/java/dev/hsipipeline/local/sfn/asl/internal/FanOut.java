package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs Parallel branches / Map iterations on virtual threads, at most {@code maxConcurrency} at a
 * time. When more than {@code tolerated} jobs fail, the rest are cancelled (interrupted) and the
 * first failure past the threshold is reported. Interrupting the caller cancels every job and waits
 * for them to end, so their history is complete before the caller records the abort.
 */
final class FanOut {
  private static final long JOIN_MILLIS = 10_000;

  @FunctionalInterface
  interface Job {
    JsonNode run() throws StateFailure, InterruptedException, ExecutionTimedOut;
  }

  /**
   * @param outputs per job, null when it failed or never ran
   * @param itemFailures per job, the failure when it failed
   * @param failures how many jobs failed
   * @param failure set when the failures exceeded the tolerated number
   */
  record Result(
      JsonNode[] outputs, StateFailure[] itemFailures, int failures, StateFailure failure) {}

  private FanOut() {}

  static Result run(List<Job> jobs, long maxConcurrency, long tolerated, long deadlineNanos)
      throws InterruptedException, ExecutionTimedOut {
    int n = jobs.size();
    JsonNode[] outputs = new JsonNode[n];
    StateFailure[] itemFailures = new StateFailure[n];
    if (n == 0) {
      return new Result(outputs, itemFailures, 0, null);
    }
    int permits = maxConcurrency <= 0 || maxConcurrency > n ? n : (int) maxConcurrency;
    Semaphore slots = new Semaphore(permits);
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<StateFailure> fatal = new AtomicReference<>();
    AtomicReference<Boolean> timedOut = new AtomicReference<>(false);
    List<Thread> threads = new ArrayList<>(n);
    Object lock = new Object();
    boolean[] stop = {false};
    Runnable cancelAll =
        () -> {
          synchronized (lock) {
            stop[0] = true;
            threads.forEach(Thread::interrupt);
          }
        };
    try {
      for (int i = 0; i < n; i++) {
        boolean stopped;
        synchronized (lock) {
          stopped = stop[0];
        }
        if (stopped || !acquire(slots, deadlineNanos)) {
          if (!stopped) {
            timedOut.set(true);
            cancelAll.run();
          }
          done.countDown();
          continue;
        }
        int index = i;
        Job job = jobs.get(i);
        Thread t =
            Thread.ofVirtual()
                .unstarted(
                    () -> {
                      try {
                        outputs[index] = job.run();
                      } catch (StateFailure f) {
                        itemFailures[index] = f;
                        if (failures.incrementAndGet() > tolerated
                            && fatal.compareAndSet(null, f)) {
                          cancelAll.run();
                        }
                      } catch (InterruptedException e) {
                        // cancelled because a sibling failed or the execution was stopped
                      } catch (ExecutionTimedOut e) {
                        timedOut.set(true);
                        cancelAll.run();
                      } catch (RuntimeException e) {
                        StateFailure f = new StateFailure(Errors.RUNTIME, "Internal error: " + e);
                        itemFailures[index] = f;
                        failures.incrementAndGet();
                        if (fatal.compareAndSet(null, f)) {
                          cancelAll.run();
                        }
                      } finally {
                        slots.release();
                        done.countDown();
                      }
                    });
        synchronized (lock) {
          threads.add(t);
          if (stop[0]) {
            t.interrupt();
          }
        }
        t.start();
      }
      long wait =
          deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
      if (!done.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
        timedOut.set(true);
        cancelAll.run();
        joinAll(threads);
      }
    } catch (InterruptedException e) {
      cancelAll.run();
      joinAll(threads);
      throw e;
    }
    if (timedOut.get()) {
      throw new ExecutionTimedOut();
    }
    return new Result(outputs, itemFailures, failures.get(), fatal.get());
  }

  private static boolean acquire(Semaphore slots, long deadlineNanos) throws InterruptedException {
    if (deadlineNanos == Long.MAX_VALUE) {
      slots.acquire();
      return true;
    }
    return slots.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Waits for cancelled jobs to end; keeps the caller's interrupt for after. */
  private static void joinAll(List<Thread> threads) {
    boolean interrupted = false;
    List<Thread> copy;
    synchronized (threads) {
      copy = new ArrayList<>(threads);
    }
    long end = System.currentTimeMillis() + JOIN_MILLIS;
    for (Thread t : copy) {
      while (true) {
        try {
          t.join(Math.max(1, end - System.currentTimeMillis()));
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The largest of the ids the jobs' frames emitted last (the event a fan-in follows). */
  static long lastId(long[] values) {
    long m = 0;
    for (long v : values) {
      m = Math.max(m, v);
    }
    return m;
  }
}
