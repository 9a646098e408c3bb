package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageCuts;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.List;

/** Chooses stages and bands for one frame given the usable workers (never empty). */
public interface PartitionStrategy {
  String name();

  /**
   * Default: one stage per resolution, cut where the map is smallest ({@link
   * StageCuts#atSmallestMaps}), each stage split by {@link #planStage}.
   */
  default FramePlan plan(String planId, ModelSpec model, List<WorkerStatus> workers) {
    List<AssignedStage> stages = new java.util.ArrayList<>();
    int from = 1;
    for (int to : StageCuts.atSmallestMaps(model)) {
      stages.add(planStage(model, new Stage(from, to), workers));
      from = to;
    }
    return new FramePlan(planId, name(), stages);
  }

  /**
   * What a plan of this strategy is expected to take, given the cost model's {@code
   * predictedMillis} for it: the prediction itself, unless the strategy has learned better.
   */
  default double expectedMillis(FramePlan plan, double predictedMillis) {
    return predictedMillis;
  }

  /** Bands for one stage on the given workers: used to re-plan a stage when a worker fails. */
  AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers);
}
