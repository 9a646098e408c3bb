package io.edgedi.planner.plan;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.List;

/** Chooses stages and bands for one frame given the usable workers (never empty). */
public interface PartitionStrategy {
  String name();

  FramePlan plan(String planId, ModelSpec model, List<WorkerStatus> workers);
}
