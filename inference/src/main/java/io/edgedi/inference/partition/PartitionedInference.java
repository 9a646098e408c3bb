package io.edgedi.inference.partition;

import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.runtime.StageRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a partition plan in one process, doing what planner and workers do over the network:
 * cut each worker's band with halo from the current map, run all workers' segments in
 * lock-step, answer their reduce steps, stitch the stage outputs, then run the head.
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
      current = runStage(StageGeometry.of(runner.weights().model(), sp.stage(), sp.bands()), current);
    }
    return new Output(current, ClassifierHead.logits(runner.weights(), current));
  }

  private FeatureMap runStage(StageGeometry geo, FeatureMap whole) {
    List<StageRun> runs = new ArrayList<>();
    try {
      for (int w = 0; w < geo.workers(); w++) {
        runs.add(runner.start(geo, w, whole.slice(geo.inputRows(w))));
      }
      float[] gate = null;
      while (!runs.get(0).done()) {
        List<double[]> partials = new ArrayList<>();
        int attention = -1;
        for (StageRun r : runs) {
          StageRun.Reduce reduce = r.step(gate);
          if (reduce != null) {
            partials.add(reduce.partialSum());
            attention = reduce.attentionNode();
          }
        }
        gate = attention < 0 ? null : AttentionGate.compute(runner.weights(), attention, partials);
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
}
