package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared by the baselines: usable workers, and band heights (in worker order) to a priced stage.
 */
final class Heights {
  private Heights() {}

  static List<WorkerStatus> usable(List<WorkerStatus> workers) {
    List<WorkerStatus> out = new ArrayList<>();
    for (WorkerStatus w : workers) {
      if (w.secondsPerGflop() > 0 && !Double.isInfinite(w.secondsPerGflop())) {
        out.add(w);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no usable worker (none has a measured speed)");
    }
    return out;
  }

  static AssignedStage toStage(StageTable t, List<WorkerStatus> workers, int[] heights) {
    List<RowRange> bands = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<Double> predicted = new ArrayList<>();
    int s = 0;
    for (int i = 0; i < heights.length; i++) {
      if (heights[i] > 0) {
        bands.add(new RowRange(s, s + heights[i]));
        ids.add(workers.get(i).workerId());
        predicted.add(PlanCost.Rates.of(workers.get(i)).millis(t, s, s + heights[i]));
        s += heights[i];
      }
    }
    if (s != t.rows()) {
      throw new IllegalStateException("heights cover " + s + " of " + t.rows() + " rows");
    }
    return new AssignedStage(t.stage(), bands, ids, predicted);
  }
}
