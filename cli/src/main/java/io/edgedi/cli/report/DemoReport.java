package io.edgedi.cli.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.edgedi.training.window.WindowAccuracy;
import java.util.List;
import java.util.Map;

/**
 * What {@code edgedi demo --json} writes and prints at the end; docs/results.md's demo table is
 * made from it. {@code accuracy} is null without labelled frames; {@code accuracyNote} only for
 * random weights, {@code stream} only for a camera stream, {@code lineScan} only for line-scan
 * strips.
 */
public record DemoReport(
    String model,
    String weightsVersion,
    boolean weightsTrained,
    int workers,
    long framesPublished,
    int framesClassified,
    long duplicates,
    long labelledFrames,
    Double accuracy,
    @JsonInclude(JsonInclude.Include.NON_NULL) String accuracyNote,
    long untrustedFrames,
    Map<String, Long> untrustedReasons,
    Latency latencyMillis,
    LatencySplit latencySplitMillis,
    double framesPerSecond,
    double maxAbsDiffVsMonolithic,
    String planner,
    boolean workerProcesses,
    Map<String, Long> rejectedByPlanner,
    @JsonInclude(JsonInclude.Include.NON_NULL) Stream stream,
    @JsonInclude(JsonInclude.Include.NON_NULL) LineScan lineScan) {

  /** Capture to classification, ms. */
  public record Latency(double p50, double p95, double p99) {}

  /** Medians of where the time went, ms. */
  public record LatencySplit(double queueP50, double computeP50, double transferP50) {}

  /** The camera stream's own counts. */
  public record Stream(String url, long decoded, long dropped, long reconnects) {}

  /**
   * Line-scan strips: how they were cut, the windows against the generator's labels, each strip's
   * verdict against the defects painted into it, and every window against the monolithic run of its
   * crop.
   */
  public record LineScan(
      int strips,
      String stripSize,
      List<Integer> windowsPerStrip,
      String windowHead,
      WindowAccuracy.Summary windowAccuracy,
      int stripsWithDefects,
      Double stripVerdictIsAPaintedDefect,
      int windowClassMismatchesVsMonolithic,
      double windowMaxConfidenceDiffVsMonolithic) {}

  /** The same report with the line-scan figures. */
  public DemoReport withLineScan(LineScan scan) {
    return new DemoReport(
        model,
        weightsVersion,
        weightsTrained,
        workers,
        framesPublished,
        framesClassified,
        duplicates,
        labelledFrames,
        accuracy,
        accuracyNote,
        untrustedFrames,
        untrustedReasons,
        latencyMillis,
        latencySplitMillis,
        framesPerSecond,
        maxAbsDiffVsMonolithic,
        planner,
        workerProcesses,
        rejectedByPlanner,
        stream,
        scan);
  }

  /** How the run was set up, beside what it measured. */
  public record Setup(
      String planner,
      boolean workerProcesses,
      Map<String, Long> rejectedByPlanner,
      Stream stream) {}
}
