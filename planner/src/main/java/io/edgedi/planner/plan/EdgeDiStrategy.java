package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.partition.BandSplit;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * EdgeDI's own heuristic (ACM TOIT 2023): start from rows in proportion to speed, then move one row
 * at a time from the band predicted slowest to the band predicted fastest while that shrinks the
 * stage's predicted makespan ({@link PlanCost}, transfers included). A band emptied this way drops
 * its worker. Stages as {@link ProportionalStrategy}.
 */
public final class EdgeDiStrategy implements PartitionStrategy {
  @Override
  public String name() {
    return "edgedi";
  }

  @Override
  public AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers) {
    List<WorkerStatus> usable = Heights.usable(workers);
    StageTable t = StageTable.of(model, stage);
    double[] speed = new double[usable.size()];
    for (int i = 0; i < speed.length; i++) {
      speed[i] = usable.get(i).gflopsPerSecond();
    }
    int[] all = BandSplit.heights(t.rows(), speed);
    List<WorkerStatus> used = new ArrayList<>();
    List<Integer> h = new ArrayList<>();
    for (int i = 0; i < all.length; i++) {
      if (all[i] > 0) {
        used.add(usable.get(i));
        h.add(all[i]);
      }
    }
    List<PlanCost.Rates> rates = new ArrayList<>();
    for (WorkerStatus w : used) {
      rates.add(PlanCost.Rates.of(w));
    }
    double[] cost = new double[used.size()];
    double makespan = costs(t, rates, h, cost);
    for (int guard = 0; guard < t.rows() * Math.max(1, used.size()); guard++) {
      int slow = 0;
      int fast = 0;
      for (int i = 1; i < cost.length; i++) {
        if (cost[i] > cost[slow]) {
          slow = i;
        }
        if (cost[i] < cost[fast]) {
          fast = i;
        }
      }
      if (slow == fast) {
        break;
      }
      h.set(slow, h.get(slow) - 1);
      h.set(fast, h.get(fast) + 1);
      double[] next = new double[cost.length];
      double m = costs(t, rates, h, next);
      if (!(m < makespan)) {
        h.set(slow, h.get(slow) + 1);
        h.set(fast, h.get(fast) - 1);
        break;
      }
      makespan = m;
      cost = next;
      if (h.get(slow) == 0) {
        h.remove(slow);
        rates.remove(slow);
        used.remove(slow);
        cost = new double[used.size()];
        makespan = costs(t, rates, h, cost);
      }
    }
    int[] heights = h.stream().mapToInt(Integer::intValue).toArray();
    return Heights.toStage(t, used, heights);
  }

  /** Fills each band's predicted time (0 for an empty band); returns the largest. */
  private static double costs(
      StageTable t, List<PlanCost.Rates> rates, List<Integer> h, double[] out) {
    double worst = 0;
    int s = 0;
    for (int i = 0; i < h.size(); i++) {
      int e = s + h.get(i);
      out[i] = e > s ? rates.get(i).millis(t, s, e) : 0;
      worst = Math.max(worst, out[i]);
      s = e;
    }
    return worst;
  }
}
