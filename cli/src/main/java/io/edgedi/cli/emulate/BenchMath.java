package io.edgedi.cli.emulate;

import java.util.Collection;

/**
 * The benchmark's arithmetic, kept apart so it can be checked on made-up numbers.
 *
 * <ul>
 *   <li>speedup = single-worker latency of the fastest worker / the planner's latency (p50s);
 *   <li>bound = sum of the workers' speeds / the fastest one's (speed = 1 / secondsPerGflop): what
 *       a perfect split with free communication would reach;
 *   <li>efficiency = speedup / bound;
 *   <li>capacity = sum over workers of 1 / (that worker's single-worker time): frames per second if
 *       every worker ran whole frames of its own, never waiting.
 * </ul>
 */
public final class BenchMath {
  private BenchMath() {}

  public static double speedup(double singleWorkerMillis, double plannerMillis) {
    return plannerMillis > 0 ? singleWorkerMillis / plannerMillis : 0;
  }

  /**
   * Sum of speeds over the fastest, speeds given as time per unit of work (seconds per GFLOP, or
   * milliseconds per frame alone); non-positive entries ignored.
   */
  public static double bound(Collection<Double> secondsPerGflop) {
    double sum = 0;
    double best = 0;
    for (double s : secondsPerGflop) {
      if (s > 0) {
        sum += 1 / s;
        best = Math.max(best, 1 / s);
      }
    }
    return best > 0 ? sum / best : 0;
  }

  public static double efficiency(double speedup, double bound) {
    return bound > 0 ? speedup / bound : 0;
  }

  /**
   * Frames per second with every worker running whole frames alone, from their single-worker
   * milliseconds.
   */
  public static double capacity(Collection<Double> singleWorkerMillis) {
    return singleWorkerMillis.stream().filter(m -> m > 0).mapToDouble(m -> 1000.0 / m).sum();
  }

  public static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
