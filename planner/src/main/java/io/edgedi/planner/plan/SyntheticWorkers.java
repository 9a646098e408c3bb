package io.edgedi.planner.plan;

import io.edgedi.planner.cluster.WorkerStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Made-up workers of a plausible spread, for warming the planning code and timing it. */
public final class SyntheticWorkers {
  private SyntheticWorkers() {}

  /**
   * {@code n} synthetic workers, seeded: compute speeds spread evenly over 1x..4x (0.4 to 1.6
   * s/GFLOP, a Raspberry Pi's range) in shuffled id order, per-tile overhead 1-5 ms, links 50-200
   * Mbit/s with 0.5-2 ms latency.
   */
  public static List<WorkerStatus> of(int n, long seed) {
    Random rnd = new Random(seed);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, rnd);
    List<WorkerStatus> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double f = n == 1 ? 0 : order.get(i) / (double) (n - 1);
      double secondsPerGflop = 1.6 / (1 + 3 * f);
      out.add(
          new WorkerStatus(
                  String.format("w%04d", i),
                  true,
                  0,
                  secondsPerGflop,
                  1 + 4 * rnd.nextDouble(),
                  4,
                  0.1,
                  0,
                  "synthetic")
              .withLink((50 + 150 * rnd.nextDouble()) * 1e6 / 8, 0.5 + 1.5 * rnd.nextDouble()));
    }
    return out;
  }
}
