package io.edgedi.cli.demo;

import io.edgedi.transport.metrics.Percentiles;
import io.edgedi.schemas.Classification;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The numbers a demo run ends with, computed from what the MES side received. */
public final class DemoSummary {
  private DemoSummary() {}

  public static Map<String, Object> of(long published, Collection<Classification> results, long duplicates,
                                       double maxAbsDiff, boolean trainedWeights, String model,
                                       String weightsVersion, int workers) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", model);
    out.put("weightsVersion", weightsVersion);
    out.put("weightsTrained", trainedWeights);
    out.put("workers", workers);
    out.put("framesPublished", published);
    out.put("framesClassified", results.size());
    out.put("duplicates", duplicates);
    long labelled = results.stream().filter(c -> c.getLabel() != null).count();
    long right = results.stream().filter(c -> c.getLabel() != null && c.getLabel().equals(c.getClassName())).count();
    out.put("labelledFrames", labelled);
    out.put("accuracy", labelled == 0 ? null : (double) right / labelled);
    if (!trainedWeights) {
      out.put("accuracyNote", "meaningless: the model runs seeded random weights, not trained ones");
    }
    Map<String, Long> reasons = new java.util.TreeMap<>();
    results.forEach(c -> c.getUntrustedReasons().forEach(r -> reasons.merge(r.toString(), 1L, Long::sum)));
    out.put("untrustedFrames", results.stream().filter(c -> !c.getTrusted()).count());
    out.put("untrustedReasons", reasons);
    double[] latency = results.stream()
        .mapToDouble(c -> (c.getClassifiedAtMicros() - c.getCapturedAtMicros()) / 1000.0).toArray();
    Map<String, Object> lat = new LinkedHashMap<>();
    lat.put("p50", percentile(latency, 50));
    lat.put("p95", percentile(latency, 95));
    lat.put("p99", percentile(latency, 99));
    out.put("latencyMillis", lat);
    Map<String, Object> split = new LinkedHashMap<>();
    split.put("queueP50", percentile(results.stream().mapToDouble(c -> c.getQueueMicros() / 1000.0).toArray(), 50));
    split.put("computeP50", percentile(results.stream().mapToDouble(c -> c.getComputeMicros() / 1000.0).toArray(), 50));
    split.put("transferP50", percentile(results.stream().mapToDouble(c -> c.getTransferMicros() / 1000.0).toArray(), 50));
    out.put("latencySplitMillis", split);
    long first = results.stream().mapToLong(Classification::getCapturedAtMicros).min().orElse(0);
    long last = results.stream().mapToLong(Classification::getClassifiedAtMicros).max().orElse(0);
    out.put("framesPerSecond", last > first ? results.size() / ((last - first) / 1e6) : 0.0);
    out.put("maxAbsDiffVsMonolithic", maxAbsDiff);
    return out;
  }

  /** A latency percentile in ms, to 0.01 ms as the summary prints it. */
  static double percentile(double[] millis, double p) {
    return Math.round(Percentiles.of(millis, p) * 100) / 100.0;
  }

}
