package io.edgedi.planner.aggregate;

/**
 * One channel-attention all-reduce of a split stage, from the workers' reports: the compute time of
 * its slowest band in that round, and that plus what the band that finished computing last still
 * waited for its peers' sums. The difference is what the round cost beyond computing: one broker
 * hop and queueing (the other bands' longer waits were the slow band, not the reduce).
 */
public record ReduceRound(long wallMicros, long slowestComputeMicros) {
  /** Round time not spent computing the slowest band (never negative). */
  public long overheadMicros() {
    return Math.max(0, wallMicros - slowestComputeMicros);
  }
}
