package io.edgedi.cli.demo;

import io.edgedi.cli.report.DemoReport;
import io.edgedi.schemas.Classification;
import io.edgedi.transport.metrics.Percentiles;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The numbers a demo run ends with, computed from what the MES side received. */
public final class DemoSummary {
  private DemoSummary() {}

  public static DemoReport of(
      long published,
      Collection<Classification> results,
      long duplicates,
      double maxAbsDiff,
      boolean trainedWeights,
      String model,
      String weightsVersion,
      int workers,
      DemoReport.Setup setup) {
    long labelled = results.stream().filter(c -> c.getLabel() != null).count();
    long right =
        results.stream()
            .filter(c -> c.getLabel() != null && c.getLabel().equals(c.getClassName()))
            .count();
    Map<String, Long> reasons = new TreeMap<>();
    results.forEach(
        c -> c.getUntrustedReasons().forEach(r -> reasons.merge(r.toString(), 1L, Long::sum)));
    double[] latency = millis(results, c -> c.getClassifiedAtMicros() - c.getCapturedAtMicros());
    long first = results.stream().mapToLong(Classification::getCapturedAtMicros).min().orElse(0);
    long last = results.stream().mapToLong(Classification::getClassifiedAtMicros).max().orElse(0);
    return new DemoReport(
        model,
        weightsVersion,
        trainedWeights,
        workers,
        published,
        results.size(),
        duplicates,
        labelled,
        labelled == 0 ? null : (double) right / labelled,
        trainedWeights
            ? null
            : "meaningless: the model runs seeded random weights, not trained ones",
        results.stream().filter(c -> !c.getTrusted()).count(),
        reasons,
        new DemoReport.Latency(
            percentile(latency, 50), percentile(latency, 95), percentile(latency, 99)),
        new DemoReport.LatencySplit(
            percentile(millis(results, Classification::getQueueMicros), 50),
            percentile(millis(results, Classification::getComputeMicros), 50),
            percentile(millis(results, Classification::getTransferMicros), 50)),
        last > first ? results.size() / ((last - first) / 1e6) : 0.0,
        maxAbsDiff,
        setup.planner(),
        setup.workerProcesses(),
        setup.rejectedByPlanner(),
        setup.stream(),
        null);
  }

  private static double[] millis(
      Collection<Classification> results, ToDoubleFunction<Classification> micros) {
    return results.stream().mapToDouble(c -> micros.applyAsDouble(c) / 1000.0).toArray();
  }

  /** A latency percentile in ms, to 0.01 ms as the summary prints it. */
  static double percentile(double[] millis, double p) {
    return Math.round(Percentiles.of(millis, p) * 100) / 100.0;
  }
}
