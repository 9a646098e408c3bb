package io.edgedi.transport.metrics;

import java.util.Arrays;
import java.util.Collection;

/**
 * Nearest-rank percentiles, the one definition behind every latency figure the dashboard, the demo
 * summary and the benchmark report: the p-th percentile is a value that was measured (the smallest
 * with at least p% of the values at or below it), never an interpolation between two.
 */
public final class Percentiles {
  private Percentiles() {}

  /** The p-th percentile (0 < p <= 100) of values in any order; 0 for none. */
  public static double of(Collection<Double> values, double p) {
    return of(values.stream().mapToDouble(Double::doubleValue).toArray(), p);
  }

  /** The p-th percentile (0 < p <= 100) of values in any order (not changed); 0 for none. */
  public static double of(double[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
