package io.edgedi.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The band search against trying every order and every split, on small maps. */
class OptimalBruteForceTest {

  @Test
  void matchesBruteForceOnSmallStages() {
    Random rnd = new Random(5);
    PlanCost cost = new PlanCost();
    for (String name : List.of("vgg16-scar", "resnet18", "vgg13")) {
      ModelSpec m = ModelZoo.byName(name, 40, 40);
      List<Integer> cuts = m.cutPoints();
      for (int trial = 0; trial < 25; trial++) {
        int i = rnd.nextInt(cuts.size() - 1);
        int j = i + 1 + rnd.nextInt(Math.min(4, cuts.size() - 1 - i));
        Stage stage = new Stage(cuts.get(i), cuts.get(j));
        int n = 2 + rnd.nextInt(2);
        List<WorkerStatus> workers = new ArrayList<>();
        for (int w = 0; w < n; w++) {
          workers.add(
              new WorkerStatus(
                      "w" + w,
                      true,
                      0,
                      0.2 + 3 * rnd.nextDouble(),
                      5 * rnd.nextDouble(),
                      4,
                      0,
                      0,
                      "m")
                  .withLink(1e5 + 5e7 * rnd.nextDouble(), 3 * rnd.nextDouble()));
        }
        AssignedStage opt = new OptimalStrategy().planStage(m, stage, workers);
        double got = cost.stageMillis(m, opt, workers);
        double brute = bruteForce(StageTable.of(m, stage), workers);
        String what = name + " " + stage + " n=" + n + ": search " + got + " brute force " + brute;
        assertTrue(got <= brute * (1 + 1e-6), what);
        assertTrue(got >= brute * (1 - 1e-9), what);
        double bound =
            new OptimalStrategy.Pool(workers, m.shape(stage.to() - 1).height())
                .lowerBound(StageTable.of(m, stage));
        assertTrue(
            bound <= brute * (1 + 1e-9), what + ": lower bound " + bound + " above the optimum");
      }
    }
  }

  /** The DP prunes with the bounds, so a bound above the optimum would lose the best plan. */
  @Test
  void lowerBoundsNeverExceedTheOptimumOnSingleLayerStages() {
    Random rnd = new Random(11);
    for (String name : List.of("resnet18", "resnet18-scar", "vgg16-scar")) {
      ModelSpec m = ModelZoo.byName(name, 32, 32);
      List<Integer> cuts = m.cutPoints();
      for (int x = 0; x + 1 < cuts.size(); x++) {
        Stage stage = new Stage(cuts.get(x), cuts.get(x + 1));
        StageTable t = StageTable.of(m, stage);
        if (t.rows() > 16) {
          continue; // brute force over 3 workers stays cheap
        }
        List<WorkerStatus> workers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
          workers.add(
              new WorkerStatus(
                      "w" + w, true, 0, 0.05 + 3 * rnd.nextDouble(), rnd.nextDouble(), 4, 0, 0, "m")
                  .withLink(1e4 + 1e7 * rnd.nextDouble(), rnd.nextDouble()));
        }
        double bound = new OptimalStrategy.Pool(workers, t.rows()).lowerBound(t);
        double brute = bruteForce(t, workers);
        assertTrue(
            bound <= brute * (1 + 1e-9),
            name + " " + stage + ": bound " + bound + " > optimum " + brute);
      }
    }
  }

  @Test
  void fixedOrderSearchIsWithinOneRowOfBruteForceOverThatOrder() {
    ModelSpec m = ModelZoo.byName("vgg16-scar", 40, 40);
    Stage stage = new Stage(1, m.cutPoints().get(5));
    StageTable t = StageTable.of(m, stage);
    List<WorkerStatus> workers =
        List.of(
            new WorkerStatus("a", true, 0, 0.5, 1, 4, 0, 0, "m"),
            new WorkerStatus("b", true, 0, 1.5, 3, 4, 0, 0, "m").withLink(5e6, 2),
            new WorkerStatus("c", true, 0, 3.0, 0.5, 4, 0, 0, "m"));
    PlanCost.Rates[] order =
        workers.stream().map(PlanCost.Rates::of).toArray(PlanCost.Rates[]::new);
    BandSolver.Solution s = BandSolver.solve(t, order);
    double best = Double.MAX_VALUE;
    for (int a = 0; a <= t.rows(); a++) {
      for (int b = a; b <= t.rows(); b++) {
        best = Math.min(best, makespan(t, order, new int[] {a, b, t.rows()}));
      }
    }
    assertEquals(best, s.makespan(), best * 1e-6);
  }

  /** Every order of the workers, every split (empty bands allowed). */
  static double bruteForce(StageTable t, List<WorkerStatus> workers) {
    double best = Double.MAX_VALUE;
    for (List<WorkerStatus> perm : permutations(workers)) {
      PlanCost.Rates[] order = perm.stream().map(PlanCost.Rates::of).toArray(PlanCost.Rates[]::new);
      best = Math.min(best, splits(t, order, 0, 0, new int[order.length]));
    }
    return best;
  }

  private static double splits(StageTable t, PlanCost.Rates[] order, int k, int start, int[] ends) {
    if (k == order.length - 1) {
      ends[k] = t.rows();
      return makespan(t, order, ends);
    }
    double best = Double.MAX_VALUE;
    for (int e = start; e <= t.rows(); e++) {
      ends[k] = e;
      best = Math.min(best, splits(t, order, k + 1, e, ends));
    }
    return best;
  }

  static double makespan(StageTable t, PlanCost.Rates[] order, int[] ends) {
    double worst = 0;
    int s = 0;
    for (int k = 0; k < order.length; k++) {
      if (ends[k] > s) {
        worst = Math.max(worst, order[k].millis(t, s, ends[k]));
        s = ends[k];
      }
    }
    return worst;
  }

  private static List<List<WorkerStatus>> permutations(List<WorkerStatus> items) {
    List<List<WorkerStatus>> out = new ArrayList<>();
    if (items.size() <= 1) {
      out.add(new ArrayList<>(items));
      return out;
    }
    for (int i = 0; i < items.size(); i++) {
      List<WorkerStatus> rest = new ArrayList<>(items);
      WorkerStatus head = rest.remove(i);
      for (List<WorkerStatus> p : permutations(rest)) {
        p.add(0, head);
        out.add(p);
      }
    }
    return out;
  }
}
