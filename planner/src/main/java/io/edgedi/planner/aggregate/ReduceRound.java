package io.edgedi.planner.aggregate;

/**
 * One channel-attention reduce of a split stage, seen from the planner: from the moment the
 * round could start (tiles or the previous gates sent) to the moment its gates went out, and the
 * compute time of its slowest band in that round, as that worker measured it. The difference is
 * what the round cost beyond computing: the messages both ways, queueing, and waiting for the
 * band that was late.
 */
public record ReduceRound(long wallMicros, long slowestComputeMicros) {
  /** Round time not spent computing the slowest band (never negative). */
  public long overheadMicros() {
    return Math.max(0, wallMicros - slowestComputeMicros);
  }
}
