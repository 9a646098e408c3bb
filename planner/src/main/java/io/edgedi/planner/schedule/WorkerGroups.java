package io.edgedi.planner.schedule;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.plan.QueuePlanner;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the worker groups for the next frames: one group (all workers) unless frames queue up and
 * {@link QueuePlanner} predicts that groups taking whole frames side by side empty the queue
 * sooner. Thread-safe (stateless); called by the orchestrator thread.
 */
public final class WorkerGroups {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerGroups.class);
  private final String plannerId;
  private final boolean enabled;
  private final ModelSpec model;
  private final PartitionStrategy strategy;
  private final Supplier<List<WorkerStatus>> workers;

  /**
   * @param enabled {@code PlannerOptions.queueGroups}: false keeps every frame on one group
   * @param workers the usable workers as planning sees them
   */
  public WorkerGroups(
      String plannerId,
      boolean enabled,
      ModelSpec model,
      PartitionStrategy strategy,
      Supplier<List<WorkerStatus>> workers) {
    this.plannerId = plannerId;
    this.enabled = enabled;
    this.model = model;
    this.strategy = strategy;
    this.workers = workers;
  }

  /** The groups for {@code waiting} queued frames, or null for one group of all workers. */
  public QueuePlanner.Choice choose(int waiting) {
    if (!enabled || waiting < 2) {
      return null;
    }
    List<WorkerStatus> usable = workers.get();
    if (usable.size() < 2) {
      return null;
    }
    try {
      return QueuePlanner.choose(model, usable, waiting, strategy);
    } catch (RuntimeException e) {
      LOG.warn("planner {}: no queue plan ({}), frames go one at a time", plannerId, e.toString());
      return null;
    }
  }
}
