package io.edgedi.worker;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Makes an emulated device compute at a steady fraction of one of this machine's cores.
 *
 * <p>A CPU quota alone (a cgroup) lets a process run at full speed until the period's quota is
 * spent and then stops it until the next period. Over a whole frame that is the device's speed,
 * but a step of a few milliseconds between two attention reduces finishes either at full speed or
 * a period later, depending on where in the period it began; across several workers waiting for
 * each other, those stalls add up at every reduce. A real Pi computes every such step at its own
 * slower speed. Stretching each step to (CPU time it used / cores) of wall time does that; the
 * quota stays as the cap, and the stretch only sleeps what throttling has not already waited.
 *
 * <p>The CPU time is the calling thread's: TF runs every op on the caller's thread when it has one
 * thread ({@code TfRuntime}), and the JVM's process CPU time on Linux counts in 10 ms ticks,
 * too coarse for steps of a few milliseconds.
 */
public final class DevicePace {
  private final double cores;
  private final LongSupplier cpuNanos;

  private DevicePace(double cores, LongSupplier cpuNanos) {
    this.cores = cores;
    this.cpuNanos = cpuNanos;
  }

  /** No stretching: the machine's own speed (or the cgroup's quota). */
  public static DevicePace off() {
    return new DevicePace(0, () -> 0);
  }

  /** Steps take (the calling thread's CPU time / cores) of wall time, cores in (0, 1]. */
  public static DevicePace of(double cores) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure a thread's CPU time: no device pacing");
    }
    threads.setThreadCpuTimeEnabled(true);
    return of(cores, threads::getCurrentThreadCpuTime);
  }

  static DevicePace of(double cores, LongSupplier cpuNanos) {
    if (!(cores > 0 && cores <= 1)) {
      throw new IllegalArgumentException("device pace must be in (0, 1] cores, got " + cores);
    }
    return new DevicePace(cores, cpuNanos);
  }

  public boolean on() {
    return cores > 0;
  }

  /** Marks the start of a step. */
  public Mark mark() {
    return new Mark(System.nanoTime(), on() ? cpuNanos.getAsLong() : 0);
  }

  /** Start of a step: wall clock and the calling thread's CPU time, both in nanoseconds. */
  public record Mark(long wallNanos, long cpuNanos) {}

  /** Sleeps until the step begun at {@code m} has taken its CPU time / cores; returns nanos slept. */
  public long stretch(Mark m) {
    if (!on()) {
      return 0;
    }
    long target = (long) ((cpuNanos.getAsLong() - m.cpuNanos()) / cores);
    long slept = 0;
    long left;
    while ((left = target - (System.nanoTime() - m.wallNanos())) > 20_000) {
      long t = System.nanoTime();
      LockSupport.parkNanos(left);
      slept += System.nanoTime() - t;
    }
    return slept;
  }
}
