package io.edgedi.worker;

/**
 * This device's measured speed: seconds per GFLOP (2 FLOPs per multiply-accumulate), smoothed
 * exponentially so a device that gets busy shows within a few tiles. Thread-safe.
 */
public final class SpeedMeter {
  private static final double ALPHA = 0.3;
  private double secondsPerGflop;
  private double overheadMillis;

  public SpeedMeter(double initialSecondsPerGflop, double overheadMillis) {
    this.secondsPerGflop = initialSecondsPerGflop;
    this.overheadMillis = overheadMillis;
  }

  /** Records one tile: its multiply-accumulates and the wall time its compute took. */
  public synchronized void record(long macs, long computeMicros) {
    double gflop = 2.0 * macs / 1e9;
    if (gflop <= 0) {
      return;
    }
    double seconds = Math.max(0, computeMicros / 1e6 - overheadMillis / 1e3);
    double sample = seconds / gflop;
    secondsPerGflop = secondsPerGflop <= 0 ? sample : (1 - ALPHA) * secondsPerGflop + ALPHA * sample;
  }

  public synchronized double secondsPerGflop() {
    return secondsPerGflop;
  }

  public synchronized double overheadMillis() {
    return overheadMillis;
  }
}
