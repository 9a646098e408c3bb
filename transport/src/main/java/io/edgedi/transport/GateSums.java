package io.edgedi.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole-map sums a Gate message carries in its float list, three floats per double. Workers
 * compute attention gates from these sums themselves, and a band computed alone passes its own
 * double sums: anything less than the exact doubles would make a split frame differ from an
 * unsplit one. Three floats hold 72 significant bits, so every double of magnitude above ~1e-30
 * (sums of feature maps are zero or far larger) comes back bit for bit.
 */
public final class GateSums {
  private GateSums() {}

  public static List<Float> encode(double[] sums) {
    List<Float> out = new ArrayList<>(sums.length * 3);
    for (double d : sums) {
      float hi = (float) d;
      double rest = d - hi;
      float mid = (float) rest;
      float lo = (float) (rest - mid);
      out.add(hi);
      out.add(mid);
      out.add(lo);
    }
    return out;
  }

  /** Refuses a list that is not whole triples or holds NaN or infinity. */
  public static double[] decode(List<Float> values) {
    if (values.size() % 3 != 0) {
      throw new IllegalArgumentException(values.size() + " gate values are not whole triples");
    }
    double[] out = new double[values.size() / 3];
    for (int i = 0; i < out.length; i++) {
      float hi = values.get(3 * i);
      float mid = values.get(3 * i + 1);
      float lo = values.get(3 * i + 2);
      if (!Float.isFinite(hi) || !Float.isFinite(mid) || !Float.isFinite(lo)) {
        throw new FloatBytes.NonFiniteException("sum " + i + " is not finite");
      }
      out[i] = ((double) hi + mid) + lo;
    }
    return out;
  }
}
