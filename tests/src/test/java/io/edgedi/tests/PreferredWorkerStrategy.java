package io.edgedi.tests;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.plan.Strategies;
import java.util.List;

/**
 * Plans every frame on one chosen worker while the planner offers it, else as the default planner
 * would on the workers offered: a test knows which worker each frame waits for, and a replacement
 * attempt that avoids that worker goes elsewhere.
 */
final class PreferredWorkerStrategy implements PartitionStrategy {
  private final String workerId;
  private final PartitionStrategy fallback = Strategies.byName(Strategies.DEFAULT);

  PreferredWorkerStrategy(String workerId) {
    this.workerId = workerId;
  }

  @Override
  public String name() {
    return "preferred-" + workerId;
  }

  @Override
  public FramePlan plan(String planId, ModelSpec model, List<WorkerStatus> workers) {
    return fallback.plan(planId, model, preferred(workers));
  }

  @Override
  public AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers) {
    return fallback.planStage(model, stage, preferred(workers));
  }

  private List<WorkerStatus> preferred(List<WorkerStatus> workers) {
    List<WorkerStatus> it = workers.stream().filter(w -> w.workerId().equals(workerId)).toList();
    return it.isEmpty() ? workers : it;
  }
}
