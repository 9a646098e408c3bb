package io.edgedi.planner;

import io.edgedi.planner.aggregate.FrameRun;
import io.edgedi.planner.failover.LeaseState;
import java.nio.file.Path;

/**
 * Planner settings. {@code maxFrameBytes} bounds an incoming frame's payload; {@code timing}
 * sets the stage deadlines behind re-planning; a frame whose stage still cannot finish is tried
 * again from the start up to {@code attempts} times. A worker silent for {@code workerStaleMillis}
 * counts as gone. {@code stateDir} keeps the journal of classified frames across restarts (null:
 * none, e.g. in tests). With {@code queueGroups}, frames that queue up may run side by side on
 * groups of workers ({@link io.edgedi.planner.plan.QueuePlanner}) instead of one after another
 * across all of them. {@code lease}: the timing of the site's planner lease (failover,
 * docs/decisions/004-planner-failover.md).
 */
public record PlannerOptions(String plannerId, String site, int maxFrameBytes, FrameRun.Timing timing,
                             int attempts, long workerStaleMillis, Path stateDir, boolean queueGroups,
                             LeaseState.Timing lease) {
  public PlannerOptions(String plannerId, String site, int maxFrameBytes, FrameRun.Timing timing, int attempts,
                        long workerStaleMillis, Path stateDir, boolean queueGroups) {
    this(plannerId, site, maxFrameBytes, timing, attempts, workerStaleMillis, stateDir, queueGroups,
        LeaseState.Timing.defaults());
  }

  public static PlannerOptions defaults(String plannerId, String site) {
    return new PlannerOptions(plannerId, site, 4 << 20, FrameRun.Timing.defaults(), 2, 3_000, null, true);
  }

  /** With other lease timing (see {@link LeaseState}); tests shorten the first claim. */
  public PlannerOptions withLease(LeaseState.Timing t) {
    return new PlannerOptions(plannerId, site, maxFrameBytes, timing, attempts, workerStaleMillis, stateDir,
        queueGroups, t);
  }

  public PlannerOptions withStateDir(Path dir) {
    return new PlannerOptions(plannerId, site, maxFrameBytes, timing, attempts, workerStaleMillis, dir, queueGroups, lease);
  }

  public PlannerOptions withTiming(FrameRun.Timing t) {
    return new PlannerOptions(plannerId, site, maxFrameBytes, t, attempts, workerStaleMillis, stateDir, queueGroups, lease);
  }

  public PlannerOptions withWorkerStaleMillis(long millis) {
    return new PlannerOptions(plannerId, site, maxFrameBytes, timing, attempts, millis, stateDir, queueGroups, lease);
  }

  public PlannerOptions withQueueGroups(boolean on) {
    return new PlannerOptions(plannerId, site, maxFrameBytes, timing, attempts, workerStaleMillis, stateDir, on, lease);
  }
}
