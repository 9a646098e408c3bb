package io.edgedi.cli.emulate;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.OptimalStrategy;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.plan.PlanCost;
import io.edgedi.planner.plan.SyntheticWorkers;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The bench's micro-benchmark of planning one frame: it measures, it does not judge. */
public final class PlanTiming {
  private PlanTiming() {}

  /**
   * Median microseconds per {@code strategy.plan(...)} for {@code nWorkers} synthetic workers,
   * after a few warm-up plans. Counts the planning thread's CPU time where the JVM measures it (so
   * a loaded machine does not inflate it), else wall time. Every timed plan sees freshly perturbed
   * speeds (+-5%), as after a telemetry update, so no cache keyed on exact values could answer it
   * ({@link OptimalStrategy} reuses its cut DP within {@link OptimalStrategy#REPLAN_DRIFT}; time
   * {@code new OptimalStrategy(false)} for the cost of a frame that reruns the DP).
   */
  public static double microsPerPlan(
      PartitionStrategy strategy, ModelSpec model, int nWorkers, int iterations) {
    List<WorkerStatus> base = SyntheticWorkers.of(nWorkers, 42);
    Random rnd = new Random(7);
    int warmup = Math.max(2, Math.min(10, iterations));
    double[] micros = new double[iterations];
    for (int it = -warmup; it < iterations; it++) {
      List<WorkerStatus> workers = new ArrayList<>(base.size());
      for (WorkerStatus w : base) {
        workers.add(
            w.withSpeed(w.secondsPerGflop() * (0.95 + 0.1 * rnd.nextDouble()), w.overheadMillis()));
      }
      long t0 = now();
      strategy.plan("timing-" + it, model, workers);
      long t1 = now();
      if (it >= 0) {
        micros[it] = (t1 - t0) / 1e3;
      }
    }
    Arrays.sort(micros);
    return iterations == 0 ? 0 : micros[iterations / 2];
  }

  /**
   * How much worse reused cuts can be: for {@code trials} seeded clusters of {@code nWorkers}, plan
   * once, move every worker's compute speed and link by a random factor within +-{@code drift},
   * then compare the predicted frame time of the plan on reused cuts with a fresh DP's. Returns the
   * worst relative loss (0.01 = 1% slower).
   */
  public static double reusedCutsWorstLoss(
      ModelSpec model, int nWorkers, int trials, double drift) {
    PlanCost cost = new PlanCost();
    double worst = 0;
    for (int trial = 0; trial < trials; trial++) {
      Random rnd = new Random(1000 + trial);
      List<WorkerStatus> base = SyntheticWorkers.of(nWorkers, 17 + trial);
      OptimalStrategy reusing = new OptimalStrategy(true);
      reusing.plan("base", model, base);
      List<WorkerStatus> moved = new ArrayList<>(base.size());
      for (WorkerStatus w : base) {
        double c = 1 + drift * (2 * rnd.nextDouble() - 1);
        double l = 1 + drift * (2 * rnd.nextDouble() - 1);
        moved.add(
            w.withSpeed(w.secondsPerGflop() * c, w.overheadMillis())
                .withLink(w.linkBytesPerSecond() * l, w.linkLatencyMillis()));
      }
      double reused = cost.frameMillis(model, reusing.plan("reused", model, moved), moved);
      double fresh =
          cost.frameMillis(model, new OptimalStrategy(false).plan("fresh", model, moved), moved);
      worst = Math.max(worst, reused / fresh - 1);
    }
    return worst;
  }

  private static long now() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : System.nanoTime();
  }
}
