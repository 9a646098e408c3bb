package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.Comparator;
import java.util.List;

/**
 * A strategy whose split plans must also win once corrected by what split and one-worker plans
 * really took ({@link PlanOutcomes}): the delegate's plan is kept if its prediction times the split
 * ratio beats the fastest worker's own plan times the one-worker ratio, else the frame runs on that
 * worker. So a cost model that misses costs of splitting cannot keep choosing splits that are
 * slower than one worker. Re-planned stages go to the delegate as they are. Thread-safe if the
 * delegate is.
 */
public final class OutcomeCheckedStrategy implements PartitionStrategy {
  private final PartitionStrategy delegate;
  private final PlanOutcomes outcomes;

  public OutcomeCheckedStrategy(PartitionStrategy delegate, PlanOutcomes outcomes) {
    this.delegate = delegate;
    this.outcomes = outcomes;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public FramePlan plan(String planId, ModelSpec model, List<WorkerStatus> workers) {
    FramePlan plan = delegate.plan(planId, model, workers);
    if (!PlanOutcomes.isSplit(plan) || workers.size() < 2) {
      return plan;
    }
    WorkerStatus fastest =
        workers.stream()
            .min(Comparator.comparingDouble(WorkerStatus::secondsPerGflop))
            .orElseThrow();
    FramePlan alone = delegate.plan(planId, model, List.of(fastest));
    double split = PlanOutcomes.predictedMillis(plan) * outcomes.splitRatio();
    double single = PlanOutcomes.predictedMillis(alone) * outcomes.aloneRatio();
    return split < single ? plan : alone;
  }

  /**
   * Scaled by what plans of its kind (split or one worker) really took against their predictions.
   */
  @Override
  public double expectedMillis(FramePlan plan, double predictedMillis) {
    return predictedMillis
        * (PlanOutcomes.isSplit(plan) ? outcomes.splitRatio() : outcomes.aloneRatio());
  }

  @Override
  public AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers) {
    return delegate.planStage(model, stage, workers);
  }
}
