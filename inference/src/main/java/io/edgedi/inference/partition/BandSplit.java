package io.edgedi.inference.partition;

import io.edgedi.inference.geometry.RowRange;
import java.util.ArrayList;
import java.util.List;

/** Turning worker weights into contiguous row bands. */
public final class BandSplit {
  private BandSplit() {}

  /**
   * Rows in proportion to {@code weights} (largest remainder), top to bottom. Workers whose share
   * rounds to zero rows are left out, so every returned band has at least one row.
   */
  public static List<RowRange> proportional(int rows, double[] weights) {
    List<RowRange> out = new ArrayList<>();
    int start = 0;
    for (int h : heights(rows, weights)) {
      if (h > 0) {
        out.add(new RowRange(start, start + h));
        start += h;
      }
    }
    return out;
  }

  /**
   * Rows per worker in proportion to {@code weights}; zero for a worker whose share rounds away.
   */
  public static int[] heights(int rows, double[] weights) {
    double total = 0;
    for (double w : weights) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("worker weight must be finite and >= 0, got " + w);
      }
      total += w;
    }
    if (total <= 0) {
      throw new IllegalArgumentException("no worker has a positive weight");
    }
    int[] heights = new int[weights.length];
    double[] rest = new double[weights.length];
    int given = 0;
    for (int i = 0; i < weights.length; i++) {
      double exact = rows * weights[i] / total;
      heights[i] = (int) Math.floor(exact);
      rest[i] = exact - heights[i];
      given += heights[i];
    }
    while (given < rows) {
      int best = 0;
      for (int i = 1; i < weights.length; i++) {
        if (rest[i] > rest[best]) {
          best = i;
        }
      }
      heights[best]++;
      rest[best] = -1;
      given++;
    }
    return heights;
  }
}
