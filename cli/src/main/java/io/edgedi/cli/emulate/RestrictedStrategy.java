package io.edgedi.cli.emulate;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.PartitionStrategy;
import java.util.List;
import java.util.Set;

/**
 * Another strategy that only ever sees some of the workers: a cluster of 1..N devices taken from a
 * running emulation without restarting it. On one worker it is the single-device baseline: every
 * row of every stage on that worker.
 */
public final class RestrictedStrategy implements PartitionStrategy {
  private final PartitionStrategy delegate;
  private final Set<String> allowed;

  public RestrictedStrategy(PartitionStrategy delegate, Set<String> allowed) {
    this.delegate = delegate;
    this.allowed = Set.copyOf(allowed);
  }

  @Override
  public String name() {
    return delegate.name();
  }

  private List<WorkerStatus> filter(List<WorkerStatus> workers) {
    List<WorkerStatus> mine = workers.stream().filter(w -> allowed.contains(w.workerId())).toList();
    if (mine.isEmpty()) {
      throw new IllegalStateException("none of " + allowed + " is usable");
    }
    return mine;
  }

  @Override
  public FramePlan plan(String planId, ModelSpec model, List<WorkerStatus> workers) {
    return delegate.plan(planId, model, filter(workers));
  }

  @Override
  public AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers) {
    return delegate.planStage(model, stage, filter(workers));
  }
}
