package io.edgedi.cli.report;

import java.util.List;
import java.util.Map;

/**
 * What {@code edgedi chaos --json} writes and prints at the end; README.md and docs/results.md
 * quote its figures ({@code framesLost}, {@code duplicates}, {@code plannerFailovers}, {@code
 * failoverMillis}, {@code workerHealMillis}, the bad inputs, the memory growth). {@code
 * rssGrowthPercent} is null when no process was sampled twice.
 */
public record ChaosReport(
    int durationSeconds,
    String model,
    int workers,
    int framesPublished,
    long framesClassified,
    long framesLost,
    long duplicates,
    long repeatsMarked,
    long markedRepeatButFirst,
    int plannerFailovers,
    Recovery failoverMillis,
    Recovery workerHealMillis,
    long badInputsInjected,
    long badInputsRejected,
    Map<String, ? extends Number> badInputsRejectedByPlanner,
    Double rssGrowthPercent,
    Map<String, Double> rssGrowthPercentByProcess,
    Map<String, Long> rssBytesFirst,
    Map<String, Long> rssBytesLast,
    List<String> events) {

  /**
   * Recovery times in ms, sorted; p50 (the lower middle, a measured value) and max null without
   * any.
   */
  public record Recovery(List<Long> samples, Long p50, Long max) {
    public static Recovery of(List<Long> samples) {
      List<Long> sorted = samples.stream().sorted().toList();
      return new Recovery(
          sorted,
          sorted.isEmpty() ? null : sorted.get((sorted.size() - 1) / 2),
          sorted.isEmpty() ? null : sorted.get(sorted.size() - 1));
    }
  }
}
