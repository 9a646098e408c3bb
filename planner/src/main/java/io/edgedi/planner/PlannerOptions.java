package io.edgedi.planner;

import io.edgedi.planner.aggregate.FrameRun;
import io.edgedi.planner.failover.LeaseState;
import java.nio.file.Path;

/**
 * Planner settings. {@code timing} sets the stage deadlines behind re-planning; a frame whose stage
 * still cannot finish is tried again from the start up to {@code attempts} times. A worker silent
 * for {@code workerStaleMillis} counts as gone. {@code stateDir} keeps the journal of classified
 * frames across restarts (null: none, e.g. in tests). With {@code queueGroups}, frames that queue
 * up may run side by side on groups of workers ({@link io.edgedi.planner.plan.QueuePlanner})
 * instead of one after another across all of them. {@code lease}: the timing of the site's planner
 * lease (failover, docs/decisions/004-planner-failover.md). A frame larger than the model input is
 * cut into windows of the input's size every {@code windowStride} pixels across and down (0: one
 * window size, so windows touch without overlapping; negative: such frames are refused as
 * WRONG_SIZE).
 */
public record PlannerOptions(
    String plannerId,
    String site,
    FrameRun.Timing timing,
    int attempts,
    long workerStaleMillis,
    Path stateDir,
    boolean queueGroups,
    LeaseState.Timing lease,
    int windowStride) {
  public PlannerOptions(
      String plannerId,
      String site,
      FrameRun.Timing timing,
      int attempts,
      long workerStaleMillis,
      Path stateDir,
      boolean queueGroups) {
    this(
        plannerId,
        site,
        timing,
        attempts,
        workerStaleMillis,
        stateDir,
        queueGroups,
        LeaseState.Timing.defaults(),
        0);
  }

  public static PlannerOptions defaults(String plannerId, String site) {
    return new PlannerOptions(plannerId, site, FrameRun.Timing.defaults(), 2, 3_000, null, true);
  }

  /** With other lease timing (see {@link LeaseState}); tests shorten the first claim. */
  public PlannerOptions withLease(LeaseState.Timing t) {
    return new PlannerOptions(
        plannerId,
        site,
        timing,
        attempts,
        workerStaleMillis,
        stateDir,
        queueGroups,
        t,
        windowStride);
  }

  public PlannerOptions withStateDir(Path dir) {
    return new PlannerOptions(
        plannerId,
        site,
        timing,
        attempts,
        workerStaleMillis,
        dir,
        queueGroups,
        lease,
        windowStride);
  }

  public PlannerOptions withTiming(FrameRun.Timing t) {
    return new PlannerOptions(
        plannerId,
        site,
        t,
        attempts,
        workerStaleMillis,
        stateDir,
        queueGroups,
        lease,
        windowStride);
  }

  public PlannerOptions withWorkerStaleMillis(long millis) {
    return new PlannerOptions(
        plannerId, site, timing, attempts, millis, stateDir, queueGroups, lease, windowStride);
  }

  public PlannerOptions withQueueGroups(boolean on) {
    return new PlannerOptions(
        plannerId, site, timing, attempts, workerStaleMillis, stateDir, on, lease, windowStride);
  }

  /** With windows every {@code stride} pixels (0: adjacent windows; negative: no windows). */
  public PlannerOptions withWindowStride(int stride) {
    return new PlannerOptions(
        plannerId, site, timing, attempts, workerStaleMillis, stateDir, queueGroups, lease, stride);
  }
}
