package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageCuts;
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
 * the stage boundaries every worker has built ahead ({@link StageCuts#choices}: a stage it has not
 * built costs seconds on a Pi when its first tile arrives), each stage's bands by {@link
 * BandSolver} (bisection on the makespan with an exact greedy feasibility test), workers that would
 * slow a stage down getting no rows.
 *
 * <p>How exact: for a fixed top-to-bottom order of the workers, each stage's split is optimal to a
 * relative 1e-7. The order only changes which workers sit at the map's top and bottom borders,
 * where bands need less halo; the DP uses one order (fastest first), and the chosen stages are then
 * re-solved in that order, in the order the workers were given, and, for up to {@value
 * #PERMUTE_UP_TO} workers, in every order, keeping the best. So for up to 4 workers the result is
 * the optimum over all splits of the chosen stages, and always at most what any contiguous split of
 * the given order achieves (so never worse than equal, proportional or edgedi under this cost
 * model: the default stage cuts are solved the same way and compared too). The stage cuts are
 * optimal up to those border effects.
 *
 * <p>Keeping it cheap: the stage tables are cached per model; the DP skips a stage whose lower
 * bound ({@link BandSolver#lowerBound}) cannot beat the best found; and a stage of H rows only
 * considers workers dominated (slower or equal in every cost parameter) by fewer than H others,
 * which is exact: at most H workers get rows, so a worker with H dominators could always hand its
 * band to an idle one that is at least as fast. With 1000 workers and a 200-row image most are
 * never looked at.
 *
 * <p>Per frame, the cut DP is the expensive part (O(cuts^2) stage solves: 45 for vgg16-scar), and
 * the cuts hardly move with the few-percent speed changes telemetry brings from frame to frame. So
 * by default the DP's cuts are reused while the same workers are there and none of their cost
 * parameters moved more than {@link #REPLAN_DRIFT} from the values the DP saw; every frame still
 * re-solves each stage's bands exactly and still compares with the default cuts. The bench's {@code
 * PlanTiming} (cli) measures both costs and the loss of reused cuts.
 */
public final class OptimalStrategy implements PartitionStrategy {
  /** Relative change of any worker's cost parameter after which the cut DP runs again. */
  public static final double REPLAN_DRIFT = 0.2;

  static final int PERMUTE_UP_TO = 4;

  /** Up to this many workers the given order is tried too (beyond, border effects are noise). */
  static final int GIVEN_ORDER_UP_TO = 64;

  /** Precision of the stage times the DP compares; the chosen stages are then solved to 1e-7. */
  static final double DP_TOLERANCE = 1e-3;

  /** Worker sets whose cuts are kept (the queue planner plans several groups side by side). */
  private static final int CUT_CHOICES_KEPT = 32;

  private final boolean reuseCuts;
  private final Map<List<String>, CutChoice> cutChoices =
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<String>, CutChoice> eldest) {
          return size() > CUT_CHOICES_KEPT;
        }
      };

  /** Reuses the cut DP's result while the workers' parameters stay close (the default). */
  public OptimalStrategy() {
    this(true);
  }

  /**
   * @param reuseCuts false: run the cut DP for every frame
   */
  public OptimalStrategy(boolean reuseCuts) {
    this.reuseCuts = reuseCuts;
  }

  @Override
  public String name() {
    return "optimal";
  }

  @Override
  public FramePlan plan(String planId, ModelSpec model, List<WorkerStatus> workers) {
    StageTable.ModelTables tables = StageTable.tables(model);
    Pool pool = new Pool(workers, tables.maxRows());
    List<Integer> path = reuseCuts ? reusableCuts(model, pool) : null;
    if (path == null) {
      path = bestCuts(tables, pool);
      if (reuseCuts) {
        synchronized (cutChoices) {
          cutChoices.put(pool.ids(), new CutChoice(model, pool.given, path));
        }
      }
    }
    List<AssignedStage> dp = solveAll(tables, path, pool);
    List<AssignedStage> fallback = solveAll(tables, StageCuts.atSmallestMaps(model), pool);
    List<AssignedStage> chosen = total(fallback) < total(dp) ? fallback : dp;
    return new FramePlan(planId, name(), chosen);
  }

  private List<Integer> reusableCuts(ModelSpec model, Pool pool) {
    synchronized (cutChoices) {
      CutChoice c = cutChoices.get(pool.ids());
      return c != null && c.fits(model, pool.given) ? c.ends : null;
    }
  }

  /**
   * The cut DP: stage ends (of {@link StageCuts#choices}) minimising the sum of the stages'
   * makespans.
   */
  private static List<Integer> bestCuts(StageTable.ModelTables tables, Pool pool) {
    List<Integer> cuts = StageCuts.choices(tables.model);
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
        BandSolver.Solution sol =
            BandSolver.solve(
                t, pool.candidates(t.rows()), pool.lowerBound(t), best[j] - best[i], DP_TOLERANCE);
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
    return List.copyOf(path);
  }

  /** The cuts the DP chose for a model and the worker parameters it saw. */
  private record CutChoice(ModelSpec model, PlanCost.Rates[] rates, List<Integer> ends) {
    /**
     * @param now the same workers in the same order (the cache is keyed by their ids)
     */
    boolean fits(ModelSpec m, PlanCost.Rates[] now) {
      if (!m.equals(model)) {
        return false;
      }
      for (int k = 0; k < now.length; k++) {
        PlanCost.Rates a = rates[k];
        PlanCost.Rates b = now[k];
        if (drifted(a.millisPerMac(), b.millisPerMac())
            || drifted(a.overheadMillis(), b.overheadMillis())
            || drifted(a.latencyMillis(), b.latencyMillis())
            || drifted(a.millisPerByte(), b.millisPerByte())) {
          return false;
        }
      }
      return true;
    }

    private static boolean drifted(double was, double is) {
      return Math.abs(is - was) > REPLAN_DRIFT * Math.max(Math.abs(was), Math.abs(is)) + 1e-9;
    }
  }

  @Override
  public AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers) {
    StageTable t = StageTable.of(model, stage);
    return solveStage(t, new Pool(workers, t.rows()));
  }

  private static List<AssignedStage> solveAll(
      StageTable.ModelTables tables, List<Integer> ends, Pool pool) {
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
    private final Map<Integer, RowsSet> sets = new HashMap<>();
    private final Map<StageTable, Double> bounds = new HashMap<>();

    /**
     * @param maxRows the most rows any stage planned with this pool has
     */
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
      Arrays.sort(
          idx,
          Comparator.<Integer>comparingDouble(i -> given[i].millisPerMac())
              .thenComparingDouble(i -> given[i].overheadMillis())
              .thenComparingDouble(i -> given[i].latencyMillis())
              .thenComparingDouble(i -> given[i].millisPerByte())
              .thenComparingInt(i -> i));
      sorted = new PlanCost.Rates[given.length];
      for (int i = 0; i < idx.length; i++) {
        sorted[i] = given[idx[i]];
      }
      dominators = new int[sorted.length];
      countDominators(maxRows);
    }

    /** The usable workers' ids, in the given order. */
    List<String> ids() {
      List<String> out = new ArrayList<>(given.length);
      for (PlanCost.Rates r : given) {
        out.add(r.workerId());
      }
      return out;
    }

    /** Dominators of each worker among those before it (all of them, by the sort), capped. */
    private void countDominators(int cap) {
      for (int x = 0; x < sorted.length; x++) {
        PlanCost.Rates a = sorted[x];
        int count = 0;
        for (int y = 0; y < x && count < cap; y++) {
          PlanCost.Rates b = sorted[y];
          if (b.overheadMillis() <= a.overheadMillis()
              && b.latencyMillis() <= a.latencyMillis()
              && b.millisPerByte() <= a.millisPerByte()) {
            count++;
          }
        }
        dominators[x] = count;
      }
    }

    /** Workers that may get rows in a stage of {@code rows} rows, fastest first. */
    PlanCost.Rates[] candidates(int rows) {
      return rowsSet(rows).candidates;
    }

    double lowerBound(StageTable t) {
      Double cached = bounds.get(t);
      if (cached != null) {
        return cached;
      }
      RowsSet set = rowsSet(t.rows());
      double minFixed = Double.MAX_VALUE;
      for (PlanCost.Rates r : set.candidates) {
        minFixed = Math.min(minFixed, r.fixedMillis(t));
      }
      double lb = BandSolver.lowerBound(t, minFixed, set.ratePrefix);
      if (set.byRatio != null) {
        lb =
            Math.max(
                lb, BandSolver.transferBound(t, minFixed, set.byRatio, set.rPrefix, set.gPrefix));
      }
      // Both bounds charge reduces and halo, which a worker given the whole stage skips.
      if (t.reduces() > 0 || t.haloBytes() > 0) {
        lb = Math.min(lb, BandSolver.alone(t, set.candidates).makespan());
      }
      bounds.put(t, lb);
      return lb;
    }

    private RowsSet rowsSet(int rows) {
      return sets.computeIfAbsent(
          rows,
          r -> {
            List<PlanCost.Rates> out = new ArrayList<>();
            for (int x = 0; x < sorted.length; x++) {
              if (dominators[x] < r) {
                out.add(sorted[x]);
              }
            }
            return new RowsSet(out.toArray(new PlanCost.Rates[0]));
          });
    }
  }

  /** What the lower bounds need about the candidates of one stage height. */
  private static final class RowsSet {
    final PlanCost.Rates[] candidates;

    /** ratePrefix[k]: MACs per ms of the k fastest. */
    final double[] ratePrefix;

    /** Candidates by MACs-per-ms over bytes-per-ms, largest first; null if a link is free. */
    final PlanCost.Rates[] byRatio;

    final double[] rPrefix;
    final double[] gPrefix;

    RowsSet(PlanCost.Rates[] cand) {
      candidates = cand;
      ratePrefix = new double[cand.length + 1];
      for (int k = 0; k < cand.length; k++) {
        ratePrefix[k + 1] = ratePrefix[k] + 1.0 / cand[k].millisPerMac(); // sorted fastest first
      }
      boolean linksPriced = true;
      for (PlanCost.Rates r : cand) {
        linksPriced &= r.millisPerByte() > 0 && Double.isFinite(r.millisPerByte());
      }
      if (linksPriced) {
        byRatio = cand.clone();
        Arrays.sort(
            byRatio, Comparator.comparingDouble(r -> -r.millisPerByte() / r.millisPerMac()));
        rPrefix = new double[cand.length + 1];
        gPrefix = new double[cand.length + 1];
        for (int k = 0; k < cand.length; k++) {
          rPrefix[k + 1] = rPrefix[k] + 1.0 / byRatio[k].millisPerMac();
          gPrefix[k + 1] = gPrefix[k] + 1.0 / byRatio[k].millisPerByte();
        }
      } else {
        byRatio = null;
        rPrefix = null;
        gPrefix = null;
      }
    }
  }
}
