package io.edgedi.planner;

/**
 * Planner settings. {@code maxFrameBytes} bounds an incoming frame's payload; a stage not
 * finished within {@code stageTimeoutMillis} fails the attempt, which is re-planned up to
 * {@code attempts} times on the workers then usable.
 */
public record PlannerOptions(String plannerId, String site, int maxFrameBytes, long stageTimeoutMillis,
                             int attempts, long workerStaleMillis) {
  public static PlannerOptions defaults(String plannerId, String site) {
    return new PlannerOptions(plannerId, site, 4 << 20, 20_000, 3, 3_000);
  }
}
