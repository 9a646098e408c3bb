package io.edgedi.cli.emulate;

import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.Strategies;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.MqttSettings;
import io.edgedi.transport.Topics;
import java.util.List;
import java.util.Set;

/**
 * Whole frames on one worker alone, one at a time, through a planner of their own (the
 * fidelity check of {@code emulate}; {@code bench} measures the same inside its runs): the
 * frame's time as a camera would see it, messages and planner included.
 */
public final class SingleWorkerFrames {
  private static final long FRAME_TIMEOUT_MS = 120_000;
  private static final long START_TIMEOUT_MS = 600_000;

  private SingleWorkerFrames() {}

  /** Latencies (ms) of {@code frames} frames on {@code workerId} alone, after {@code warmup} unmeasured ones. */
  public static List<Double> measure(MqttSettings planner, MqttLink camera, FoldedWeights weights, String site,
                                     String workerId, int warmup, int frames, long seed) throws Exception {
    FrameDriver driver = new FrameDriver(camera, new Topics(site), weights.model().inputShape().height(),
        weights.model().inputShape().width(), seed, "fidelity-" + workerId + "-" + Long.toString(System.currentTimeMillis(), 36));
    try (Planner p = new Planner(planner, weights, new RestrictedStrategy(Strategies.byName("optimal"), Set.of(workerId)),
        PlannerOptions.defaults(planner.clientId(), site))) {
      p.addListener(driver);
      p.start();
      long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
      while (p.cluster().usable(System.currentTimeMillis()).stream().map(WorkerStatus::workerId)
          .noneMatch(workerId::equals)) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("worker " + workerId + " never became usable");
        }
        Thread.sleep(100);
      }
      driver.sequential(warmup, FRAME_TIMEOUT_MS);
      return driver.sequential(frames, FRAME_TIMEOUT_MS).latencies();
    }
  }
}
