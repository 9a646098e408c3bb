package io.edgedi.cli.emulate;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.PartitionStrategy;
import java.util.List;

/**
 * A planner under test and the single-worker baseline taking turns, frame by frame: the bench
 * switches turns between two frames (one frame is in flight at a time). On a shared machine a
 * worker's speed drifts within seconds (the same frame on the same worker takes 55 or 90 ms from
 * one stretch to the next), so a speedup is only fair against baseline frames measured among the
 * planner's own frames, not in a block before or after them.
 */
public final class Interleaved implements PartitionStrategy {
  private final PartitionStrategy tested;
  private final PartitionStrategy baseline;
  private volatile boolean baselineTurn;

  public Interleaved(PartitionStrategy tested, PartitionStrategy baseline) {
    this.tested = tested;
    this.baseline = baseline;
  }

  /** Whose turn the next frame is. */
  public void baselineTurn(boolean yes) {
    baselineTurn = yes;
  }

  private PartitionStrategy current() {
    return baselineTurn ? baseline : tested;
  }

  @Override
  public String name() {
    return tested.name();
  }

  @Override
  public FramePlan plan(String planId, ModelSpec model, List<WorkerStatus> workers) {
    return current().plan(planId, model, workers);
  }

  @Override
  public AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers) {
    return current().planStage(model, stage, workers);
  }
}
