package io.edgedi.cli.emulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.OptimalStrategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkWhatIfTest {
  private static WorkerStatus worker(String id, double secondsPerGflop) {
    return new WorkerStatus(id, true, 0, secondsPerGflop, 2.0, 1, 0, 0, "vgg16-scar", 12.5e6, 3.0);
  }

  @Test
  void freeLinksLetTheOptimalPlannerSplitASlowLinkKeepsItOnOneWorker() {
    ModelSpec model = ModelZoo.byName("vgg16-scar");
    List<WorkerStatus> view = List.of(worker("a", 0.05), worker("b", 0.05), worker("c", 0.1));
    List<Map<String, Object>> rows =
        LinkWhatIf.predict(
            new OptimalStrategy(),
            model,
            view,
            "a",
            new double[] {1000.0, 0.0},
            new double[] {0, 1.25e9},
            true,
            false);
    assertEquals(8, rows.size(), "2 overheads x 2 bandwidths x 2 latencies");
    Map<String, Object> hopeless =
        rows.get(0); // 12.5 MB/s, 1 s per message (13 reduces), overheads kept
    assertEquals(1L, hopeless.get("workersUsed"));
    assertEquals(1.0, hopeless.get("predictedSpeedup"));
    Map<String, Object> ideal = rows.get(rows.size() - 1); // no overhead, 1.25 GB/s, no latency
    assertEquals("none", ideal.get("perRunOverhead"));
    assertTrue((Long) ideal.get("workersUsed") >= 2, "splits with free links: " + ideal);
    double speedup = (Double) ideal.get("predictedSpeedup");
    // Summed speed over the fastest is 2.5: a split can approach it but never pass it.
    assertTrue(speedup > 1.5 && speedup <= 2.5, "ideal predicted speedup " + speedup);
  }
}
