package io.edgedi.cli.emulate;

import io.edgedi.cluster.LocalCluster;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.plan.Strategies;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import java.util.List;
import java.util.Set;

/**
 * Whole frames on one worker alone, one at a time, through a planner of their own (the fidelity
 * check of {@code emulate}; {@code bench} measures the same inside its runs): the frame's time as a
 * camera would see it, messages and planner included.
 */
public final class SingleWorkerFrames {
  private static final long FRAME_TIMEOUT_MS = 120_000;
  private static final long START_TIMEOUT_MS = 600_000;

  private SingleWorkerFrames() {}

  /**
   * Latencies (ms) of {@code frames} frames on {@code workerId} alone, after {@code warmup}
   * unmeasured ones.
   */
  public static List<Double> measure(
      LocalCluster cluster,
      MqttLink camera,
      FoldedWeights weights,
      String workerId,
      int warmup,
      int frames,
      long seed)
      throws Exception {
    FrameDriver driver =
        new FrameDriver(
            camera,
            new Topics(LocalCluster.SITE),
            weights.model().inputShape().height(),
            weights.model().inputShape().width(),
            seed,
            "fidelity-" + workerId + "-" + Long.toString(System.currentTimeMillis(), 36));
    try (Planner p =
        cluster.startPlanner(
            "planner",
            weights,
            new RestrictedStrategy(Strategies.byName("optimal"), Set.of(workerId)),
            PlannerOptions.defaults("planner", LocalCluster.SITE),
            driver)) {
      cluster.awaitWorkers(p, Set.of(workerId), START_TIMEOUT_MS);
      driver.sequential(warmup, FRAME_TIMEOUT_MS);
      return driver.sequential(frames, FRAME_TIMEOUT_MS).latencies();
    }
  }
}
