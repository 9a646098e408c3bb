package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimises the predicted frame time ({@link PlanCost}): fused stages by dynamic programming over
 * all cut points of the model, each stage's bands by {@link BandSolver} (bisection on the
 * makespan with an exact greedy feasibility test), workers that would slow a stage down getting
 * no rows.
 *
 * <p>How exact: for a fixed top-to-bottom order of the workers, each stage's split is optimal to
 * a relative 1e-7. The order only changes which workers sit at the map's top and bottom borders,
 * where bands need less halo; the DP uses one order (fastest first), and the chosen stages are
 * then re-solved in that order, in the order the workers were given, and, for up to
 * {@value #PERMUTE_UP_TO} workers, in every order, keeping the best. So for up to 4 workers the
 * result is the optimum over all splits of the chosen stages, and always at most what any
 * contiguous split of the given order achieves (so never worse than equal, proportional or edgedi
 * under this cost model: the default stage cuts are solved the same way and compared too). The
 * stage cuts are optimal up to those border effects.
 *
 * <p>Keeping it cheap: the stage tables are cached per model; the DP skips a stage whose lower
 * bound ({@link BandSolver#lowerBound}) cannot beat the best found; and a stage of H rows only
 * considers workers dominated (slower or equal in every cost parameter) by fewer than H others,
 * which is exact: at most H workers get rows, so a worker with H dominators could always hand its
 * band to an idle one that is at least as fast. With 1000 workers and a 200-row image most are
 * never looked at.
 */
public final class OptimalStrategy implements PartitionStrategy {
  static final int PERMUTE_UP_TO = 4;
  /** Up to this many workers the given order is tried too (beyond, border effects are noise). */
  static final int GIVEN_ORDER_UP_TO = 64;
  /** Precision of the stage times the DP compares; the chosen stages are then solved to 1e-7. */
  static final double DP_TOLERANCE = 1e-3;

  @Override
  public String name() {
    return "optimal";
  }

  @Override
  public FramePlan plan(String planId, ModelSpec model, List<WorkerStatus> workers) {
    StageTable.ModelTables tables = StageTable.tables(model);
    Pool pool = new Pool(workers, tables.maxRows());
    List<Integer> cuts = tables.cuts;
    int c = cuts.size();
    double[] best = new double[c];
    int[] from = new int[c];
    Arrays.fill(best, Double.MAX_VALUE);
    best[0] = 0;
    double[] bound = new double[c];
    Integer[] order = new Integer[c];
    for (int j = 1; j < c; j++) {
      int n = 0;
      for (int i = 0; i < j; i++) {
        StageTable t = tables.stage(cuts.get(i), cuts.get(j));
        bound[i] = best[i] + pool.lowerBound(t);
        order[n++] = i;
      }
      Arrays.sort(order, 0, n, Comparator.comparingDouble(i -> bound[i]));
      for (int x = 0; x < n; x++) {
        int i = order[x];
        if (bound[i] >= best[j]) {
          break;
        }
        StageTable t = tables.stage(cuts.get(i), cuts.get(j));
        BandSolver.Solution sol = BandSolver.solve(t, pool.candidates(t.rows()), pool.lowerBound(t),
            best[j] - best[i], DP_TOLERANCE);
        if (sol != null && best[i] + sol.makespan() < best[j]) {
          best[j] = best[i] + sol.makespan();
          from[j] = i;
        }
      }
    }
    List<Integer> path = new ArrayList<>();
    for (int j = c - 1; j > 0; j = from[j]) {
      path.add(0, cuts.get(j));
    }
    List<AssignedStage> dp = solveAll(tables, path, pool);
    List<AssignedStage> fallback = solveAll(tables, StageCuts.atSmallestMaps(model), pool);
    List<AssignedStage> chosen = total(fallback) < total(dp) ? fallback : dp;
    return new FramePlan(planId, name(), chosen);
  }

  @Override
  public AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers) {
    StageTable t = StageTable.of(model, stage);
    return solveStage(t, new Pool(workers, t.rows()));
  }

  private static List<AssignedStage> solveAll(StageTable.ModelTables tables, List<Integer> ends, Pool pool) {
    List<AssignedStage> out = new ArrayList<>();
    int start = 1;
    for (int end : ends) {
      out.add(solveStage(tables.stage(start, end), pool));
      start = end;
    }
    return out;
  }

  private static double total(List<AssignedStage> stages) {
    double sum = 0;
    for (AssignedStage s : stages) {
      sum += s.predictedMillis().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
    return sum;
  }

  /** Best over the fastest-first order, the given order and, for few workers, every order. */
  static AssignedStage solveStage(StageTable t, Pool pool) {
    double lb = pool.lowerBound(t);
    BandSolver.Solution best = BandSolver.solve(t, pool.candidates(t.rows()), lb);
    if (pool.given.length <= GIVEN_ORDER_UP_TO) {
      BandSolver.Solution given = BandSolver.solve(t, pool.given, lb);
      if (given.makespan() < best.makespan()) {
        best = given;
      }
    }
    if (pool.given.length <= PERMUTE_UP_TO) {
      for (PlanCost.Rates[] perm : permutations(pool.given)) {
        BandSolver.Solution s = BandSolver.solve(t, perm, lb);
        if (s.makespan() < best.makespan()) {
          best = s;
        }
      }
    }
    return best.toStage(t);
  }

  private static List<PlanCost.Rates[]> permutations(PlanCost.Rates[] items) {
    List<PlanCost.Rates[]> out = new ArrayList<>();
    permute(items.clone(), 0, out);
    return out;
  }

  private static void permute(PlanCost.Rates[] a, int k, List<PlanCost.Rates[]> out) {
    if (k == a.length) {
      out.add(a.clone());
      return;
    }
    for (int i = k; i < a.length; i++) {
      PlanCost.Rates tmp = a[k];
      a[k] = a[i];
      a[i] = tmp;
      permute(a, k + 1, out);
      a[i] = a[k];
      a[k] = tmp;
    }
  }

  /** The usable workers' rates: as given, and fastest first with dominance counts. */
  static final class Pool {
    final PlanCost.Rates[] given;
    private final PlanCost.Rates[] sorted;
    private final int[] dominators;
    private final Map<Integer, PlanCost.Rates[]> byRows = new HashMap<>();
    private final Map<Integer, double[]> prefixByRows = new HashMap<>();
    private final Map<StageTable, Double> bounds = new HashMap<>();

    /** @param maxRows the most rows any stage planned with this pool has */
    Pool(List<WorkerStatus> workers, int maxRows) {
      List<PlanCost.Rates> usable = new ArrayList<>();
      for (WorkerStatus w : workers) {
        if (w.secondsPerGflop() > 0 && !Double.isInfinite(w.secondsPerGflop())) {
          usable.add(PlanCost.Rates.of(w));
        }
      }
      if (usable.isEmpty()) {
        throw new IllegalArgumentException("no usable worker (none has a measured speed)");
      }
      given = usable.toArray(new PlanCost.Rates[0]);
      Integer[] idx = new Integer[given.length];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> given[i].millisPerMac())
          .thenComparingDouble(i -> given[i].overheadMillis()).thenComparingDouble(i -> given[i].latencyMillis())
          .thenComparingDouble(i -> given[i].millisPerByte()).thenComparingInt(i -> i));
      sorted = new PlanCost.Rates[given.length];
      for (int i = 0; i < idx.length; i++) {
        sorted[i] = given[idx[i]];
      }
      dominators = new int[sorted.length];
      countDominators(maxRows);
    }

    /** Dominators of each worker among those before it (all of them, by the sort), capped. */
    private void countDominators(int cap) {
      for (int x = 0; x < sorted.length; x++) {
        PlanCost.Rates a = sorted[x];
        int count = 0;
        for (int y = 0; y < x && count < cap; y++) {
          PlanCost.Rates b = sorted[y];
          if (b.overheadMillis() <= a.overheadMillis() && b.latencyMillis() <= a.latencyMillis()
              && b.millisPerByte() <= a.millisPerByte()) {
            count++;
          }
        }
        dominators[x] = count;
      }
    }

    /** Workers that may get rows in a stage of {@code rows} rows, fastest first. */
    PlanCost.Rates[] candidates(int rows) {
      return byRows.computeIfAbsent(rows, r -> {
        List<PlanCost.Rates> out = new ArrayList<>();
        for (int x = 0; x < sorted.length; x++) {
          if (dominators[x] < r) {
            out.add(sorted[x]);
          }
        }
        return out.toArray(new PlanCost.Rates[0]);
      });
    }

    double lowerBound(StageTable t) {
      Double cached = bounds.get(t);
      if (cached != null) {
        return cached;
      }
      PlanCost.Rates[] cand = candidates(t.rows());
      double[] prefix = prefixByRows.computeIfAbsent(t.rows(), r -> {
        double[] p = new double[cand.length + 1];
        for (int k = 0; k < cand.length; k++) {
          p[k + 1] = p[k] + 1.0 / cand[k].millisPerMac(); // sorted fastest first
        }
        return p;
      });
      double minFixed = Double.MAX_VALUE;
      for (PlanCost.Rates r : cand) {
        minFixed = Math.min(minFixed, r.fixedMillis(t));
      }
      double lb = BandSolver.lowerBound(t, minFixed, prefix);
      bounds.put(t, lb);
      return lb;
    }
  }
}
