package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageCuts;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.List;

/**
 * The MoDNN / DeepThings-style baseline: the same number of rows for every worker (the first {@code
 * rows % k} get one more; at most one worker per row), whatever their speed. Stages as {@link
 * ProportionalStrategy} ({@link StageCuts#atSmallestMaps}); predictions from {@link PlanCost}.
 */
public final class EqualStrategy implements PartitionStrategy {
  @Override
  public String name() {
    return "equal";
  }

  @Override
  public AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers) {
    List<WorkerStatus> usable = Heights.usable(workers);
    StageTable t = StageTable.of(model, stage);
    int k = Math.min(usable.size(), t.rows());
    int[] heights = new int[usable.size()];
    for (int i = 0; i < k; i++) {
      heights[i] = t.rows() / k + (i < t.rows() % k ? 1 : 0);
    }
    return Heights.toStage(t, usable, heights);
  }
}
