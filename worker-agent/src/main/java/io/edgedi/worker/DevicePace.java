package io.edgedi.worker;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Makes an emulated device compute at a steady fraction of one of this machine's cores.
 *
 * <p>A CPU quota alone (a cgroup) lets a process run at full speed until the period's quota is
 * spent and then stops it until the next period. Over a whole frame that is the device's speed, but
 * a step of a few milliseconds between two attention reduces finishes either at full speed or a
 * period later, depending on where in the period it began; across several workers waiting for each
 * other, those stalls add up at every reduce. A real Pi computes every such step at its own slower
 * speed. Stretching each step to (CPU time it used / cores) of wall time does that; a quota, where
 * there is one, stays as the cap, and the stretch only sleeps what throttling has not already
 * waited.
 *
 * <p>The CPU time is the calling thread's: TF runs every op on the caller's thread when it has one
 * thread ({@code TfRuntime}), and the JVM's process CPU time on Linux counts in 10 ms ticks, too
 * coarse for steps of a few milliseconds.
 *
 * <p>With messaging paced too ({@link #withMessaging}), the work the JVM's Java threads did between
 * two steps (receiving and decoding a tile or a gate on MQTT threads, encoding and sending a result
 * on this thread outside the steps) also costs what it would on the device: the next step starts
 * (that CPU time) x (1 / cores - 1) later, the part a device of that share would have taken longer.
 * The wait comes before the step's mark, so a worker's measured compute time, from which it and the
 * planner learn the device's speed, holds none of it, as on a real device. This is for an emulator
 * that does not squeeze the whole JVM into the share (no quota stall on every message), where that
 * work would otherwise run at this machine's full speed. Work other threads did while a step
 * computed is not charged (a Pi's other cores take it), nor JIT and GC threads (not Java threads: a
 * Pi's JVM has cores of its own for them), nor CPU used across an idle gap of more than {@link
 * #IDLE_NANOS} (start-up, telemetry between runs): nothing waited for it.
 *
 * <p>Thread-safe; meant for one compute thread at a time.
 */
public final class DevicePace {
  /** A gap between steps this long means the device was idle: what ran in it delayed nothing. */
  static final long IDLE_NANOS = 1_000_000_000L;

  private final double cores;
  private final LongSupplier cpuNanos;
  private final Supplier<Map<Long, Long>> threadsCpu;
  private final Map<Long, Long> lastThreadsCpu = new HashMap<>();
  private long lastEndWall;
  private long lastEndCpu;
  private long lastCaller = -1;
  private long messagingChargedNanos;

  private DevicePace(double cores, LongSupplier cpuNanos, Supplier<Map<Long, Long>> threadsCpu) {
    this.cores = cores;
    this.cpuNanos = cpuNanos;
    this.threadsCpu = threadsCpu;
  }

  /** No stretching: the machine's own speed (or the cgroup's quota). */
  public static DevicePace off() {
    return new DevicePace(0, () -> 0, null);
  }

  /** Steps take (the calling thread's CPU time / cores) of wall time, cores in (0, 1]. */
  public static DevicePace of(double cores) {
    return of(cores, threadClock(), null);
  }

  /**
   * As {@link #of(double)}, and the JVM's messaging work between steps is charged at the device's
   * share too.
   */
  public static DevicePace withMessaging(double cores) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!(threads instanceof com.sun.management.ThreadMXBean all)) {
      throw new IllegalStateException(
          "this JVM cannot read other threads' CPU time: no messaging pacing");
    }
    return of(
        cores,
        threadClock(),
        () -> {
          long[] ids = all.getAllThreadIds();
          long[] cpu = all.getThreadCpuTime(ids);
          Map<Long, Long> out = new HashMap<>(ids.length * 2);
          for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0) {
              out.put(ids[i], cpu[i]);
            }
          }
          return out;
        });
  }

  private static LongSupplier threadClock() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException(
          "this JVM cannot measure a thread's CPU time: no device pacing");
    }
    threads.setThreadCpuTimeEnabled(true);
    return threads::getCurrentThreadCpuTime;
  }

  static DevicePace of(double cores, LongSupplier cpuNanos, Supplier<Map<Long, Long>> threadsCpu) {
    if (!(cores > 0 && cores <= 1)) {
      throw new IllegalArgumentException("device pace must be in (0, 1] cores, got " + cores);
    }
    return new DevicePace(cores, cpuNanos, threadsCpu);
  }

  public boolean on() {
    return cores > 0;
  }

  public boolean pacesMessaging() {
    return threadsCpu != null;
  }

  /** Messaging CPU time charged so far (before the stretch factor), in nanoseconds. */
  public synchronized long messagingChargedNanos() {
    return messagingChargedNanos;
  }

  /**
   * Marks the start of a step; with messaging paced, first waits what the messaging work since the
   * previous step would have taken longer on the device.
   */
  public Mark mark() {
    if (!on()) {
      return new Mark(System.nanoTime(), 0);
    }
    if (threadsCpu != null) {
      long wait = (long) (unpacedSinceLastStep() * (1 / cores - 1));
      long until = System.nanoTime() + wait;
      long left;
      while ((left = until - System.nanoTime()) > 20_000) {
        LockSupport.parkNanos(left);
      }
    }
    return new Mark(System.nanoTime(), cpuNanos.getAsLong());
  }

  /** Start of a step: wall clock and the calling thread's CPU time, both in nanoseconds. */
  public record Mark(long wallNanos, long cpuNanos) {}

  /**
   * Sleeps until the step begun at {@code m} has taken its CPU time / cores; returns nanos slept.
   */
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
    if (threadsCpu != null) {
      stepEnded();
    }
    return slept;
  }

  /**
   * Charges nothing of what the JVM's threads did so far (start-up, connecting): from here on,
   * their work counts towards the next step. For a caller that has just made the worker ready.
   */
  public void settle() {
    if (threadsCpu != null) {
      stepEnded();
    }
  }

  /**
   * Takes the CPU clocks as the step ends: what threads do from here on is charged to the next
   * step.
   */
  private synchronized void stepEnded() {
    lastThreadsCpu.clear();
    lastThreadsCpu.putAll(threadsCpu.get());
    lastCaller = Thread.currentThread().getId();
    lastEndWall = System.nanoTime();
    lastEndCpu =
        cpuNanos
            .getAsLong(); // last: the bookkeeping above is the emulator's work, not the device's
  }

  /**
   * CPU time the Java threads used since the previous step ended: other threads' whole use, and
   * this thread's. A thread first seen now was born after that step, so all its time counts.
   */
  private synchronized long unpacedSinceLastStep() {
    long caller = Thread.currentThread().getId();
    long own = cpuNanos.getAsLong();
    if (lastCaller == -1 || System.nanoTime() - lastEndWall > IDLE_NANOS) {
      return 0;
    }
    long others = 0;
    for (Map.Entry<Long, Long> e : threadsCpu.get().entrySet()) {
      if (e.getKey() != caller) {
        others += Math.max(0, e.getValue() - lastThreadsCpu.getOrDefault(e.getKey(), 0L));
      }
    }
    long charged = others + (caller == lastCaller ? Math.max(0, own - lastEndCpu) : 0);
    messagingChargedNanos += charged;
    return charged;
  }
}
