package io.edgedi.cli.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What {@code edgedi demo --json} writes and prints at the end; docs/results.md's demo table is
 * made from it. {@code accuracy} is null without labelled frames; {@code accuracyNote} only for
 * random weights, {@code stream} only for a camera stream.
 */
public record DemoReport(String model, String weightsVersion, boolean weightsTrained, int workers,
                         long framesPublished, int framesClassified, long duplicates, long labelledFrames,
                         Double accuracy, @JsonInclude(JsonInclude.Include.NON_NULL) String accuracyNote,
                         long untrustedFrames, Map<String, Long> untrustedReasons, Latency latencyMillis,
                         LatencySplit latencySplitMillis, double framesPerSecond, double maxAbsDiffVsMonolithic,
                         String planner, boolean workerProcesses, Map<String, Long> rejectedByPlanner,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Stream stream) {

  /** Capture to classification, ms. */
  public record Latency(double p50, double p95, double p99) {}

  /** Medians of where the time went, ms. */
  public record LatencySplit(double queueP50, double computeP50, double transferP50) {}

  /** The camera stream's own counts. */
  public record Stream(String url, long decoded, long dropped, long reconnects) {}

  /** How the run was set up, beside what it measured. */
  public record Setup(String planner, boolean workerProcesses, Map<String, Long> rejectedByPlanner, Stream stream) {}
}
