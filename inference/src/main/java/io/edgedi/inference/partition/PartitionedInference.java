package io.edgedi.inference.partition;

import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.runtime.StageRun;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs a partition plan in one process, doing what planner and workers do over the network: cut
 * each worker's band with halo from the current map, run all workers' segments in lock-step, add
 * their partial sums and hand the whole sums back, stitch the stage outputs, then run the head.
 * Monolithic inference is the same path with {@link PartitionPlan#monolithic}.
 */
public final class PartitionedInference {
  private final SliceRunner runner;

  /** The stitched trunk output and the class logits. */
  public record Output(FeatureMap trunk, float[] logits) {}

  public PartitionedInference(SliceRunner runner) {
    this.runner = runner;
  }

  public Output run(PartitionPlan plan, FeatureMap image) {
    FeatureMap current = image;
    for (StagePlan sp : plan.stages()) {
      current =
          runStage(StageGeometry.of(runner.weights().model(), sp.stage(), sp.bands()), current);
    }
    return new Output(current, ClassifierHead.logits(runner.weights(), current));
  }

  private FeatureMap runStage(StageGeometry geo, FeatureMap whole) {
    List<StageRun> runs = new ArrayList<>();
    try {
      for (int w = 0; w < geo.workers(); w++) {
        runs.add(runner.start(geo, w, whole.slice(geo.inputRows(w))));
      }
      double[] sums = null;
      while (!runs.get(0).done()) {
        double[] next = null;
        for (StageRun r : runs) {
          StageRun.Reduce reduce = r.step(sums);
          if (reduce != null) {
            next = add(next, reduce.partialSum());
          }
        }
        sums = next;
      }
      List<FeatureMap> bands = new ArrayList<>();
      for (StageRun r : runs) {
        bands.add(r.output());
      }
      return FeatureMap.stitch(bands);
    } finally {
      runs.forEach(StageRun::close);
    }
  }

  /**
   * Adds a band's partial sum to the running total, in band order from 0.0 (the runtime's
   * contract).
   */
  private static double[] add(double @Nullable [] total, double[] partial) {
    double[] out = total == null ? new double[partial.length] : total;
    if (out.length != partial.length) {
      throw new IllegalStateException(
          "bands reduce maps of "
              + out.length
              + " and "
              + partial.length
              + " channels in one round");
    }
    for (int i = 0; i < partial.length; i++) {
      out[i] += partial[i];
    }
    return out;
  }
}
