package dev.hsipipeline.local.batch.internal;

import java.util.concurrent.Semaphore;

/**
 * The compute environment's capacity: jobs hold their VCPU requirement while they run and wait
 * (RUNNABLE) while the budget is spent. First come, first served, so a big job is not starved by a
 * stream of small ones. A job asking for more than the whole budget is clamped to it — on AWS it
 * would stay RUNNABLE forever, which locally only means "this machine is smaller".
 */
public final class VcpuBudget {
  private static final int MILLI = 1000;
  private final int totalMilli;
  private final Semaphore permits;

  public VcpuBudget(double vcpus) {
    if (!(vcpus >= 1)) {
      throw new IllegalArgumentException("vCPU budget must be >= 1, got " + vcpus);
    }
    this.totalMilli = (int) Math.round(vcpus * MILLI);
    this.permits = new Semaphore(totalMilli, true);
  }

  /**
   * Blocks until {@code vcpus} are free; returns the milli-vCPUs to hand back to {@link #release}.
   */
  public int acquire(double vcpus) throws InterruptedException {
    int milli = Math.max(1, Math.min(totalMilli, (int) Math.ceil(vcpus * MILLI)));
    permits.acquire(milli);
    return milli;
  }

  public void release(int milli) {
    permits.release(milli);
  }

  /** vCPUs free right now. */
  public double available() {
    return permits.availablePermits() / (double) MILLI;
  }

  public double total() {
    return totalMilli / (double) MILLI;
  }
}
