package io.edgedi.planner.aggregate;

import io.edgedi.planner.cluster.ClusterView;
import io.edgedi.planner.cluster.SpeedEstimator;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.PlanOutcomes;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The workers as planning sees them: who is usable by telemetry and last will ({@link
 * ClusterView}), with speeds and links corrected by what their bands really cost ({@link
 * SpeedEstimator}), which this also feeds. Thread-safe (both parts are): called by the frame
 * threads, the dashboard and the metrics.
 */
public final class LiveWorkers implements FrameRun.Cluster {
  private final ClusterView cluster;
  private final SpeedEstimator speeds;
  private final BooleanSupplier connected;
  private final PlanOutcomes outcomes;

  /**
   * @param connected whether the planner's own broker connection is up
   */
  public LiveWorkers(ClusterView cluster, SpeedEstimator speeds, BooleanSupplier connected) {
    this(cluster, speeds, connected, new PlanOutcomes());
  }

  /**
   * @param outcomes learns from every finished frame what its plan really took
   */
  public LiveWorkers(
      ClusterView cluster,
      SpeedEstimator speeds,
      BooleanSupplier connected,
      PlanOutcomes outcomes) {
    this.cluster = cluster;
    this.speeds = speeds;
    this.connected = connected;
    this.outcomes = outcomes;
  }

  @Override
  public void ran(FramePlan plan, long wallMicros) {
    outcomes.record(plan, wallMicros / 1000.0);
  }

  /** The usable workers as reported, not yet corrected. */
  public List<WorkerStatus> reported() {
    return cluster.usable(System.currentTimeMillis());
  }

  /** These workers with what they really did lately. */
  public List<WorkerStatus> adjust(List<WorkerStatus> workers) {
    return speeds.adjust(workers);
  }

  /** The usable workers as the next plan sees them. */
  @Override
  public List<WorkerStatus> usable() {
    return speeds.adjust(reported());
  }

  @Override
  public void computed(String workerId, long macs, long computeMicros, int runs) {
    speeds.record(workerId, macs, computeMicros, runs, 0, 0, 0, 0);
  }

  @Override
  public void exchanged(
      String workerId, long bytesIn, long bytesOut, long roundTripMicros, long residenceMicros) {
    speeds.record(workerId, 0, 0, 1, bytesIn, bytesOut, roundTripMicros, residenceMicros);
  }

  @Override
  public boolean alive(String workerId) {
    return cluster.isUsable(workerId, System.currentTimeMillis());
  }

  @Override
  public boolean connected() {
    return connected.getAsBoolean();
  }
}
