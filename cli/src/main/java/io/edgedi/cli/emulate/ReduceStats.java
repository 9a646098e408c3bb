package io.edgedi.cli.emulate;

import io.edgedi.planner.aggregate.ReduceRound;
import io.edgedi.transport.metrics.Percentiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The bench's summary of the channel-attention reduce rounds of a planner's split frames. */
public final class ReduceStats {
  private ReduceStats() {}

  /**
   * What the channel-attention reduces of the split frames cost: rounds per split frame, and per
   * round its time, its slowest band's compute and the rest (messages, queueing, the late band).
   * Empty when no measured frame was split.
   */
  public static Map<String, Object> summary(List<List<ReduceRound>> perFrame) {
    List<List<ReduceRound>> split = perFrame.stream().filter(f -> !f.isEmpty()).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("splitFramesWithReduces", split.size());
    if (split.isEmpty()) {
      return out;
    }
    List<Double> wall = new ArrayList<>();
    List<Double> compute = new ArrayList<>();
    List<Double> overhead = new ArrayList<>();
    List<Double> overheadPerFrame = new ArrayList<>();
    for (List<ReduceRound> f : split) {
      double sum = 0;
      for (ReduceRound r : f) {
        wall.add(r.wallMicros() / 1000.0);
        compute.add(r.slowestComputeMicros() / 1000.0);
        overhead.add(r.overheadMicros() / 1000.0);
        sum += r.overheadMicros() / 1000.0;
      }
      overheadPerFrame.add(sum);
    }
    out.put("roundsPerSplitFrame", BenchMath.round(wall.size() / (double) split.size(), 2));
    out.put("roundP50Ms", BenchMath.round(Percentiles.of(wall, 50), 2));
    out.put("slowestBandComputeP50Ms", BenchMath.round(Percentiles.of(compute, 50), 2));
    out.put("overheadP50Ms", BenchMath.round(Percentiles.of(overhead, 50), 2));
    out.put("overheadP90Ms", BenchMath.round(Percentiles.of(overhead, 90), 2));
    out.put("overheadPerSplitFrameP50Ms", BenchMath.round(Percentiles.of(overheadPerFrame, 50), 2));
    return out;
  }
}
