package io.edgedi.camera;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces a loop to a fixed rate by absolute deadlines: the k-th call returns at {@code t0 + k /
 * fps}, where {@code t0} is the first call, so the time spent between calls does not add up to
 * drift.
 *
 * <p>A caller that falls behind gets the missed slots back-to-back, up to {@code maxLag}: once it
 * is further behind than that (a stalled broker, a slow disk) the schedule restarts from now
 * instead of releasing a burst of everything missed. A rate of 0 means no pacing. Not thread-safe:
 * one loop.
 */
public final class RatePacer {
  /** How a pacer waits; the gateway's wakes early when it is stopped. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(1);

  private final double fps;
  private final double periodNanos;
  private final long maxLagNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private boolean started;
  private long anchor;
  private long slots;
  private long resyncs;

  public RatePacer(double framesPerSecond) {
    this(framesPerSecond, DEFAULT_MAX_LAG, TimeUnit.NANOSECONDS::sleep);
  }

  public RatePacer(double framesPerSecond, Duration maxLag, Sleeper sleeper) {
    this(framesPerSecond, maxLag, System::nanoTime, sleeper);
  }

  RatePacer(double framesPerSecond, Duration maxLag, LongSupplier nanoTime, Sleeper sleeper) {
    if (!(framesPerSecond >= 0) || Double.isInfinite(framesPerSecond)) {
      throw new IllegalArgumentException(
          "frames per second must be finite and >= 0: " + framesPerSecond);
    }
    if (maxLag.isNegative()) {
      throw new IllegalArgumentException("maxLag must be >= 0: " + maxLag);
    }
    this.fps = framesPerSecond;
    this.periodNanos = framesPerSecond == 0 ? 0 : 1e9 / framesPerSecond;
    this.maxLagNanos = maxLag.toNanos();
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** Waits for the next slot; the first call returns at once and starts the schedule. */
  public void await() throws InterruptedException {
    if (fps == 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (!started) {
      started = true;
      anchor = now;
      slots = 0;
      return;
    }
    slots++;
    long deadline = anchor + Math.round(slots * periodNanos);
    if (now - deadline > maxLagNanos) {
      anchor = now;
      slots = 0;
      resyncs++;
      return;
    }
    long wait = deadline - now;
    if (wait > 0) {
      sleeper.sleep(wait);
    }
  }

  public double framesPerSecond() {
    return fps;
  }

  /** How often the schedule was restarted because the caller fell more than maxLag behind. */
  public long resyncs() {
    return resyncs;
  }
}
