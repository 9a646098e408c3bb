package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.List;

/** Chooses stages and bands for one frame given the usable workers (never empty). */
public interface PartitionStrategy {
  String name();

  FramePlan plan(String planId, ModelSpec model, List<WorkerStatus> workers);

  /** Bands for one stage on the given workers: used to re-plan a stage when a worker fails. */
  AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers);
}
