package io.edgedi.planner.cluster;

/** What the planner knows of one worker from its latest telemetry. */
public record WorkerStatus(String workerId, boolean online, long lastSeenMillis, double secondsPerGflop,
                           double overheadMillis, int cores, double load, int tilesInFlight,
                           String model) {
  /** Relative speed for proportional splits: GFLOP per second. */
  public double gflopsPerSecond() {
    return secondsPerGflop > 0 ? 1.0 / secondsPerGflop : 0;
  }
}
