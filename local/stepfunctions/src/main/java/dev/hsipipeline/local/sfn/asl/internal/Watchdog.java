package dev.hsipipeline.local.sfn.asl.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts a thread when a deadline passes, so a task runs inline on the execution's thread (no
 * thread hand-off per task) and still times out. One daemon timer thread per interpreter.
 */
final class Watchdog {
  private final ScheduledThreadPoolExecutor timer;

  Watchdog() {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "sfn-asl-watchdog");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    // The thread exists only while deadlines are armed, so idle or discarded interpreters
    // leave no thread behind.
    timer.setKeepAliveTime(5, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
  }

  /** An armed deadline for one thread; {@link #disarm()} says whether it fired. */
  static final class Guard {
    private final Thread thread;
    private ScheduledFuture<?> future;
    private boolean done;
    private boolean fired;

    private Guard(Thread thread) {
      this.thread = thread;
    }

    private synchronized void fire() {
      if (!done) {
        fired = true;
        thread.interrupt();
      }
    }

    /**
     * Stops the guard. When it fired, the interrupt it caused is cleared here, so it cannot leak
     * into later work on this thread.
     */
    synchronized boolean disarm() {
      done = true;
      if (future != null) {
        future.cancel(false);
      }
      if (fired) {
        Thread.interrupted();
      }
      return fired;
    }
  }

  Guard arm(long deadlineNanos) {
    Guard g = new Guard(Thread.currentThread());
    long delay = Math.max(0, deadlineNanos - System.nanoTime());
    ScheduledFuture<?> f = timer.schedule(g::fire, delay, TimeUnit.NANOSECONDS);
    synchronized (g) {
      g.future = f;
    }
    return g;
  }
}
