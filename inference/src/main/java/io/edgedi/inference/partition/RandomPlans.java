package io.edgedi.inference.partition;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random but valid plans for exactness checks: random stage cuts among the model's cut points, and
 * random band heights that often include one-row bands.
 */
public final class RandomPlans {
  private RandomPlans() {}

  public static PartitionPlan draw(ModelSpec model, int workers, SplittableRandom rnd) {
    List<Integer> candidates = model.cutPoints();
    double cutChance = rnd.nextDouble(0.0, 0.5);
    List<StagePlan> stages = new ArrayList<>();
    int from = 1;
    for (int b : candidates) {
      boolean last = b == model.size();
      if (b <= from || (!last && rnd.nextDouble() >= cutChance)) {
        continue;
      }
      Stage stage = new Stage(from, b);
      stages.add(
          new StagePlan(stage, bands(model.shape(stage.outputNode()).height(), workers, rnd)));
      from = b;
    }
    return new PartitionPlan(stages).checkAgainst(model);
  }

  /**
   * {@code min(workers, rows)} bands of at least one row; skewed extras so one-row bands are
   * common.
   */
  static List<RowRange> bands(int rows, int workers, SplittableRandom rnd) {
    int k = Math.min(workers, rows);
    double[] weights = new double[k];
    for (int i = 0; i < k; i++) {
      double u = rnd.nextDouble();
      weights[i] = u < 0.3 ? 0 : Math.pow(-Math.log(1 - u), 2);
    }
    int[] heights = new int[k];
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    int extra = rows - k;
    int given = 0;
    for (int i = 0; i < k; i++) {
      heights[i] = 1 + (total > 0 ? (int) Math.floor(extra * weights[i] / total) : 0);
      given += heights[i] - 1;
    }
    // Leftover rows from rounding go to random bands.
    for (; given < extra; given++) {
      heights[rnd.nextInt(k)]++;
    }
    List<RowRange> out = new ArrayList<>();
    int start = 0;
    for (int h : heights) {
      out.add(new RowRange(start, start + h));
      start += h;
    }
    return out;
  }
}
