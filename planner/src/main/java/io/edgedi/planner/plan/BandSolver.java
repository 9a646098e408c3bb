package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.RowRange;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact band split of one stage for workers in a fixed top-to-bottom order: the smallest
 * makespan T such that the bands can be cut so that every band finishes within T.
 *
 * <p>Feasibility of T is decided greedily: from row 0, each worker in turn takes the largest band
 * it can finish within T (none if not even one row fits). That is exact for the order: band cost
 * grows with the band's end and shrinks with its start ({@link StageTable}), so by induction the
 * greedy's k-th boundary is never above that of any feasible split, and if any split reaches the
 * last row the greedy does too. Feasibility is monotone in T, so bisection on T finds the optimum
 * to a relative {@link #TOLERANCE}; the split returned is the greedy's at the upper end, so its
 * makespan is at most the optimum times (1 + TOLERANCE). Workers that get no rows are left out of
 * the stage.
 */
final class BandSolver {
  static final double TOLERANCE = 1e-7;

  private BandSolver() {}

  /** Per worker of {@code order}, where its band ends (equal to the previous end: no band). */
  record Solution(PlanCost.Rates[] order, int[] ends, double makespan) {
    AssignedStage toStage(StageTable t) {
      List<RowRange> bands = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      List<Double> predicted = new ArrayList<>();
      int s = 0;
      for (int k = 0; k < order.length; k++) {
        if (ends[k] > s) {
          bands.add(new RowRange(s, ends[k]));
          ids.add(order[k].workerId());
          predicted.add(order[k].millis(t, s, ends[k]));
          s = ends[k];
        }
      }
      return new AssignedStage(t.stage(), bands, ids, predicted);
    }
  }

  static Solution solve(StageTable t, PlanCost.Rates[] order) {
    return solve(t, order, 0, Double.MAX_VALUE, TOLERANCE);
  }

  static Solution solve(StageTable t, PlanCost.Rates[] order, double lowerBound) {
    return solve(t, order, lowerBound, Double.MAX_VALUE, TOLERANCE);
  }

  /**
   * @param lowerBound a makespan known not to be beaten (0 if none)
   * @param limit only makespans up to this matter: null if the stage cannot be done within it
   * @param tolerance relative precision of the makespan
   */
  static Solution solve(
      StageTable t, PlanCost.Rates[] order, double lowerBound, double limit, double tolerance) {
    int n = order.length;
    int rows = t.rows();
    double[] fixed = new double[n];
    for (int k = 0; k < n; k++) {
      fixed[k] = order[k].fixedMillis(t);
    }
    int[] ends = new int[n];
    double hi;
    if (limit < Double.MAX_VALUE) {
      if (fill(t, order, fixed, limit, ends) != rows) {
        Solution single = alone(t, order);
        return single.makespan() <= limit ? single : null;
      }
      hi = Math.min(limit, makespan(t, order, fixed, ends));
    } else {
      hi = Double.MAX_VALUE; // the best single worker is a split
      for (int k = 0; k < n; k++) {
        hi = Math.min(hi, cost(t, order[k], fixed[k], 0, rows));
      }
    }
    double lo = Math.min(lowerBound, hi);
    int[] trial = new int[n];
    if (n > 1) {
      while (hi - lo > tolerance * hi) {
        double mid = 0.5 * (lo + hi);
        System.arraycopy(ends, 0, trial, 0, n);
        if (fill(t, order, fixed, mid, trial) == rows) {
          hi = Math.min(mid, makespan(t, order, fixed, trial));
          System.arraycopy(trial, 0, ends, 0, n);
        } else {
          lo = mid;
        }
      }
    }
    if (fill(t, order, fixed, hi, ends) != rows) {
      throw new IllegalStateException("no split of stage " + t.stage() + " within " + hi + " ms");
    }
    Solution split = new Solution(order, ends, makespan(t, order, fixed, ends));
    Solution single = alone(t, order);
    return single.makespan() < split.makespan() ? single : split;
  }

  /**
   * The cheapest worker given the whole stage. The search prices every band with its reduce round
   * trips, which keeps band cost monotone; a worker with the whole stage has none ({@link
   * PlanCost.Rates#millis}), so that option is compared on its own.
   */
  static Solution alone(StageTable t, PlanCost.Rates[] order) {
    int rows = t.rows();
    int best = 0;
    double bestMillis = Double.MAX_VALUE;
    for (int k = 0; k < order.length; k++) {
      double m = order[k].millis(t, 0, rows);
      if (m < bestMillis) {
        best = k;
        bestMillis = m;
      }
    }
    int[] ends = new int[order.length];
    for (int k = best; k < order.length; k++) {
      ends[k] = rows;
    }
    return new Solution(order, ends, bestMillis);
  }

  /**
   * Greedy fill within {@code limit}; returns the first row left uncovered (rows if all covered).
   * {@code ends} comes in holding a previous fill, whose band heights seed the search.
   */
  static int fill(StageTable t, PlanCost.Rates[] order, double[] fixed, double limit, int[] ends) {
    int rows = t.rows();
    int s = 0;
    int prevStart = 0;
    for (int k = 0; k < order.length; k++) {
      int guess = Math.max(1, ends[k] - prevStart);
      prevStart = ends[k];
      if (s == rows || cost(t, order[k], fixed[k], s, s + 1) > limit) {
        ends[k] = s;
        continue;
      }
      // Largest e with cost(s, e) <= limit: gallop from the previous height, then bisect.
      int lo = s + 1;
      int hi;
      int e = Math.min(rows, s + guess);
      if (e > lo) {
        if (cost(t, order[k], fixed[k], s, e) <= limit) {
          lo = e;
        } else {
          hi = e;
          lo = bisect(t, order[k], fixed[k], s, lo, hi, limit);
          ends[k] = lo;
          s = lo;
          continue;
        }
      }
      int step = 1;
      while (true) {
        if (lo == rows) {
          hi = rows + 1;
          break;
        }
        int next = Math.min(rows, lo + step);
        if (cost(t, order[k], fixed[k], s, next) <= limit) {
          lo = next;
          step <<= 1;
        } else {
          hi = next;
          break;
        }
      }
      if (hi <= rows) {
        lo = bisect(t, order[k], fixed[k], s, lo, hi, limit);
      }
      ends[k] = lo;
      s = lo;
    }
    return s;
  }

  /** cost(s, lo) within limit, cost(s, hi) not: the last end within limit. */
  private static int bisect(
      StageTable t, PlanCost.Rates r, double fixed, int s, int lo, int hi, double limit) {
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (cost(t, r, fixed, s, mid) <= limit) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static double makespan(StageTable t, PlanCost.Rates[] order, double[] fixed, int[] ends) {
    double worst = 0;
    int s = 0;
    for (int k = 0; k < order.length; k++) {
      if (ends[k] > s) {
        worst = Math.max(worst, cost(t, order[k], fixed[k], s, ends[k]));
        s = ends[k];
      }
    }
    return worst;
  }

  static double cost(StageTable t, PlanCost.Rates r, double fixed, int s, int e) {
    return fixed
        + r.millisPerMac() * t.macs(s, e)
        + r.millisPerByte() * (t.inputRows(s, e) * t.inRowBytes() + (e - s) * t.outRowBytes());
  }

  /**
   * A makespan no split can beat: every used worker pays at least the smallest fixed cost, and k
   * bands compute the stage plus k-1 boundaries' halo (at least the cheapest one's each), at most
   * at the k fastest compute rates. {@code ratePrefix[k]} = sum of the k largest MACs per ms.
   */
  static double lowerBound(StageTable t, double minFixed, double[] ratePrefix) {
    int kmax = Math.min(ratePrefix.length - 1, t.rows());
    double best = Double.MAX_VALUE;
    for (int k = 1; k <= kmax; k++) {
      double macs = t.totalMacs() + (k - 1) * t.minHaloMacs();
      best = Math.min(best, Math.max(0, macs) / ratePrefix[k]);
    }
    return minFixed + best;
  }

  /**
   * A makespan no split can beat once transfers count: every band's time is at least its fixed part
   * plus MACs / (MACs per ms) plus bytes / (bytes per ms), and all bands together compute at least
   * M = totalMacs (+ halo) and move at least B = {@link StageTable#minTransferBytes}. For any
   * weight lambda in [0, 1], a worker with time T - fixed can cover at most (T - fixed) *
   * max(lambda * r / M, (1 - lambda) * g / B) of "lambda * share of M + (1 - lambda) * share of B"
   * (r = MACs per ms, g = bytes per ms), and the shares must add up to 1, so T >= minFixed + 1 /
   * S(lambda) with S the sum over workers. S is convex and piecewise linear in lambda, so its
   * minimum is at lambda = 0, 1 or where r / M = g / B * rho for a worker's rho = r / g: all are
   * tried. Workers come sorted by rho, largest first, with prefix sums.
   *
   * @param byRatio workers sorted by r / g, descending
   * @param rPrefix rPrefix[k] = sum of r over the first k of byRatio
   * @param gPrefix gPrefix[k] = sum of g over the first k of byRatio
   */
  static double transferBound(
      StageTable t, double minFixed, PlanCost.Rates[] byRatio, double[] rPrefix, double[] gPrefix) {
    int n = byRatio.length;
    double m = Math.max(0, t.totalMacs() + Math.min(0, t.minHaloMacs()) * (t.rows() - 1));
    double b = t.minTransferBytes();
    if (m <= 0 || b <= 0) {
      return minFixed;
    }
    double rAll = rPrefix[n];
    double gAll = gPrefix[n];
    double minS = Math.min(rAll / m, gAll / b);
    for (int k = 0; k < n; k++) {
      // lambda where worker k's two terms are equal: y / x = rho_k with x = lambda / M,
      // y = (1 - lambda) / B; workers up to k take the MAC side, the rest the byte side.
      double rho = (1.0 / byRatio[k].millisPerMac()) * byRatio[k].millisPerByte();
      double s = (rPrefix[k + 1] + rho * (gAll - gPrefix[k + 1])) / (m + rho * b);
      minS = Math.min(minS, s);
    }
    return minFixed + 1.0 / minS;
  }
}
