package io.edgedi.planner.cluster;

/**
 * What the planner knows of one worker from its latest telemetry, plus its link to the leader
 * (bytes per second and one-way latency per message). Telemetry does not carry the link: it starts
 * at {@link #DEFAULT_LINK_BYTES_PER_SECOND} / {@link #DEFAULT_LINK_LATENCY_MILLIS} and is learned
 * from real tiles by {@link SpeedEstimator}.
 */
public record WorkerStatus(
    String workerId,
    boolean online,
    long lastSeenMillis,
    double secondsPerGflop,
    double overheadMillis,
    int cores,
    double load,
    int tilesInFlight,
    String model,
    double linkBytesPerSecond,
    double linkLatencyMillis) {
  /** 100 Mbit/s: assumed while a worker's link has not been measured. */
  public static final double DEFAULT_LINK_BYTES_PER_SECOND = 100e6 / 8;

  /** One-way latency of one message through the broker, assumed while not measured. */
  public static final double DEFAULT_LINK_LATENCY_MILLIS = 1.0;

  public WorkerStatus {
    if (!(linkBytesPerSecond > 0) || Double.isInfinite(linkBytesPerSecond)) {
      linkBytesPerSecond = DEFAULT_LINK_BYTES_PER_SECOND;
    }
    if (!(linkLatencyMillis >= 0) || Double.isInfinite(linkLatencyMillis)) {
      linkLatencyMillis = DEFAULT_LINK_LATENCY_MILLIS;
    }
  }

  /** Telemetry only: the link gets the defaults. */
  public WorkerStatus(
      String workerId,
      boolean online,
      long lastSeenMillis,
      double secondsPerGflop,
      double overheadMillis,
      int cores,
      double load,
      int tilesInFlight,
      String model) {
    this(
        workerId,
        online,
        lastSeenMillis,
        secondsPerGflop,
        overheadMillis,
        cores,
        load,
        tilesInFlight,
        model,
        DEFAULT_LINK_BYTES_PER_SECOND,
        DEFAULT_LINK_LATENCY_MILLIS);
  }

  /** Relative speed for proportional splits: GFLOP per second. */
  public double gflopsPerSecond() {
    return secondsPerGflop > 0 ? 1.0 / secondsPerGflop : 0;
  }

  /** Seconds per floating point operation (2 per multiply-accumulate). */
  public double secondsPerFlop() {
    return secondsPerGflop / 1e9;
  }

  /** The same worker over another link (non-positive or non-finite values mean the defaults). */
  public WorkerStatus withLink(double bytesPerSecond, double latencyMillis) {
    return new WorkerStatus(
        workerId,
        online,
        lastSeenMillis,
        secondsPerGflop,
        overheadMillis,
        cores,
        load,
        tilesInFlight,
        model,
        bytesPerSecond,
        latencyMillis);
  }

  /** The same worker with another compute speed and per-tile overhead. */
  public WorkerStatus withSpeed(double newSecondsPerGflop, double newOverheadMillis) {
    return new WorkerStatus(
        workerId,
        online,
        lastSeenMillis,
        newSecondsPerGflop,
        newOverheadMillis,
        cores,
        load,
        tilesInFlight,
        model,
        linkBytesPerSecond,
        linkLatencyMillis);
  }

  public WorkerStatus withOnline(boolean nowOnline) {
    return new WorkerStatus(
        workerId,
        nowOnline,
        lastSeenMillis,
        secondsPerGflop,
        overheadMillis,
        cores,
        load,
        tilesInFlight,
        model,
        linkBytesPerSecond,
        linkLatencyMillis);
  }
}
