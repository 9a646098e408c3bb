package io.edgedi.training.eval;

import io.edgedi.inference.partition.ClassifierHead;

/**
 * Expected calibration error and the temperature that minimises the negative log-likelihood of
 * held-out predictions (temperature scaling: one parameter, so it cannot change which class wins,
 * only how sure the model claims to be).
 */
public final class Calibration {
  /** Equal-width confidence bins of the expected calibration error. */
  public static final int BINS = 15;

  private Calibration() {}

  /**
   * Expected calibration error: the sample-weighted mean over {@link #BINS} confidence bins of
   * |accuracy - mean confidence| in the bin.
   */
  public static double expectedCalibrationError(
      float[][] logits, int[] labels, double temperature) {
    double[] conf = new double[BINS];
    int[] hits = new int[BINS];
    int[] count = new int[BINS];
    for (int i = 0; i < logits.length; i++) {
      float[] p = ClassifierHead.softmax(logits[i], temperature);
      int best = ClassifierHead.argmax(p);
      int bin = Math.min(BINS - 1, (int) (p[best] * BINS));
      conf[bin] += p[best];
      count[bin]++;
      if (best == labels[i]) {
        hits[bin]++;
      }
    }
    double ece = 0;
    for (int b = 0; b < BINS; b++) {
      if (count[b] > 0) {
        ece += Math.abs(hits[b] - conf[b]) / logits.length;
      }
    }
    return ece;
  }

  /** Mean negative log-likelihood of the true class. */
  public static double negativeLogLikelihood(float[][] logits, int[] labels, double temperature) {
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      sum -= Math.log(Math.max(1e-12, ClassifierHead.softmax(logits[i], temperature)[labels[i]]));
    }
    return sum / logits.length;
  }

  /**
   * The temperature in [0.05, 20] with the lowest NLL (golden-section search on log T; NLL is
   * convex in 1/T).
   */
  public static double fitTemperature(float[][] logits, int[] labels) {
    double lo = Math.log(0.05);
    double hi = Math.log(20);
    double g = (Math.sqrt(5) - 1) / 2;
    double a = hi - g * (hi - lo);
    double b = lo + g * (hi - lo);
    double fa = negativeLogLikelihood(logits, labels, Math.exp(a));
    double fb = negativeLogLikelihood(logits, labels, Math.exp(b));
    for (int it = 0; it < 60; it++) {
      if (fa < fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - g * (hi - lo);
        fa = negativeLogLikelihood(logits, labels, Math.exp(a));
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + g * (hi - lo);
        fb = negativeLogLikelihood(logits, labels, Math.exp(b));
      }
    }
    return Math.exp((lo + hi) / 2);
  }
}
