package io.edgedi.cli.emulate;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.plan.PlanCost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The bench's "what if the links were faster" question, answered by the planner's cost model. */
public final class LinkWhatIf {
  private LinkWhatIf() {}

  /**
   * The cost model's answer to "what if messages were cheaper": the workers as the planner saw them
   * after its measured frames (learned speeds, per-run overheads and links), with every link set to
   * each bandwidth ({@code 0}: as learned) and one-way latency, with and without the per-run
   * overhead, planned by {@code strategy} on all of them and restricted to the fastest worker. A
   * prediction, not a measurement: it has no band skew and no queueing. Rows are ordered overhead
   * (kept first), then bandwidth, then latency, as given.
   */
  public static List<Map<String, Object>> predict(
      PartitionStrategy strategy,
      ModelSpec model,
      List<WorkerStatus> view,
      String fastest,
      double[] latencies,
      double[] bytesPerSecond,
      boolean... keepOverhead) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (boolean overhead : keepOverhead) {
      for (double bps : bytesPerSecond) {
        for (double latency : latencies) {
          List<WorkerStatus> ws =
              view.stream()
                  .map(w -> w.withLink(bps > 0 ? bps : w.linkBytesPerSecond(), latency))
                  .map(w -> overhead ? w : w.withSpeed(w.secondsPerGflop(), 0))
                  .toList();
          List<WorkerStatus> one = ws.stream().filter(w -> w.workerId().equals(fastest)).toList();
          if (!one.isEmpty()) {
            out.add(row(strategy, model, ws, one, latency, bps, overhead));
          }
        }
      }
    }
    return out;
  }

  private static Map<String, Object> row(
      PartitionStrategy strategy,
      ModelSpec model,
      List<WorkerStatus> all,
      List<WorkerStatus> one,
      double latency,
      double bps,
      boolean overhead) {
    PlanCost cost = new PlanCost();
    FramePlan split = strategy.plan("what-if", model, all);
    FramePlan alone = strategy.plan("what-if", model, one);
    double splitMs = cost.frameMillis(model, split, all);
    double aloneMs = cost.frameMillis(model, alone, one);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("linkLatencyMs", BenchMath.round(latency, 3));
    m.put("linkMBytesPerSecond", bps > 0 ? BenchMath.round(bps / 1e6, 1) : "learned");
    m.put("perRunOverhead", overhead ? "learned" : "none");
    m.put("predictedFrameMs", BenchMath.round(splitMs, 2));
    m.put("predictedSingleWorkerMs", BenchMath.round(aloneMs, 2));
    m.put("predictedSpeedup", BenchMath.round(BenchMath.speedup(aloneMs, splitMs), 3));
    m.put(
        "workersUsed",
        split.stages().stream().flatMap(st -> st.workers().stream()).distinct().count());
    return m;
  }
}
