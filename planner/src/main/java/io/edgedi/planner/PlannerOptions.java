package io.edgedi.planner;

import io.edgedi.planner.aggregate.FrameRun;
import java.nio.file.Path;

/**
 * Planner settings. {@code maxFrameBytes} bounds an incoming frame's payload; {@code timing}
 * sets the stage deadlines behind re-planning; a frame whose stage still cannot finish is tried
 * again from the start up to {@code attempts} times. A worker silent for {@code workerStaleMillis}
 * counts as gone. {@code stateDir} keeps the journal of classified frames across restarts (null:
 * none, e.g. in tests). With {@code queueGroups}, frames that queue up may run side by side on
 * groups of workers ({@link io.edgedi.planner.plan.QueuePlanner}) instead of one after another
 * across all of them.
 */
public record PlannerOptions(String plannerId, String site, int maxFrameBytes, FrameRun.Timing timing,
                             int attempts, long workerStaleMillis, Path stateDir, boolean queueGroups) {
  public static PlannerOptions defaults(String plannerId, String site) {
    return new PlannerOptions(plannerId, site, 4 << 20, FrameRun.Timing.defaults(), 2, 3_000, null, true);
  }

  public PlannerOptions withStateDir(Path dir) {
    return new PlannerOptions(plannerId, site, maxFrameBytes, timing, attempts, workerStaleMillis, dir, queueGroups);
  }

  public PlannerOptions withTiming(FrameRun.Timing t) {
    return new PlannerOptions(plannerId, site, maxFrameBytes, t, attempts, workerStaleMillis, stateDir, queueGroups);
  }

  public PlannerOptions withQueueGroups(boolean on) {
    return new PlannerOptions(plannerId, site, maxFrameBytes, timing, attempts, workerStaleMillis, stateDir, on);
  }
}
