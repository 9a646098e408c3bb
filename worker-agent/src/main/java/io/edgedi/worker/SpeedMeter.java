package io.edgedi.worker;

/**
 * This device's measured speed: seconds per GFLOP (2 FLOPs per multiply-accumulate), from the tiles
 * it finished. A tile's compute time less its fixed cost (the per-run overhead times the TF runs it
 * took: one, plus one per channel attention it paused at) is its work's time. Seconds and GFLOP are
 * summed with a decay that depends on how much work each tile was: a whole frame's worth forgets
 * {@link #ALPHA} of the past, a band of three rows almost nothing. Per-tile ratios with one
 * overhead per tile let the many tiny bands of a split low-resolution stage, whose time is nearly
 * all per-run overhead, pull the estimate to ten times the device's real cost per GFLOP.
 * Thread-safe.
 */
public final class SpeedMeter {
  private static final double ALPHA = 0.3;
  private final double overheadMillis;
  private final double referenceGflop;
  private double seconds;
  private double gflops;

  /**
   * @param initialSecondsPerGflop the calibration's estimate, counted as {@code referenceGflop} of
   *     work
   * @param referenceGflop the work that forgets {@link #ALPHA} of the past (one frame of the model)
   */
  public SpeedMeter(double initialSecondsPerGflop, double overheadMillis, double referenceGflop) {
    if (!(referenceGflop > 0)) {
      throw new IllegalArgumentException("reference work must be > 0 GFLOP: " + referenceGflop);
    }
    this.overheadMillis = overheadMillis;
    this.referenceGflop = referenceGflop;
    this.seconds = Math.max(0, initialSecondsPerGflop) * referenceGflop;
    this.gflops = referenceGflop;
  }

  /** A meter whose reference work is 1 GFLOP. */
  public SpeedMeter(double initialSecondsPerGflop, double overheadMillis) {
    this(initialSecondsPerGflop, overheadMillis, 1.0);
  }

  /**
   * Records one tile of one TF run: its multiply-accumulates and the wall time its compute took.
   */
  public void record(long macs, long computeMicros) {
    record(macs, computeMicros, 1);
  }

  /** Records one tile that took {@code runs} TF runs. */
  public synchronized void record(long macs, long computeMicros, int runs) {
    double g = 2.0 * macs / 1e9;
    if (!(g > 0) || computeMicros < 0) {
      return;
    }
    double total = computeMicros / 1e6;
    double keep = Math.pow(1 - ALPHA, g / referenceGflop);
    seconds = keep * seconds + Math.max(0, total - Math.max(1, runs) * overheadMillis / 1e3);
    gflops = keep * gflops + g;
  }

  public synchronized double secondsPerGflop() {
    return seconds / gflops;
  }

  public synchronized double overheadMillis() {
    return overheadMillis;
  }
}
