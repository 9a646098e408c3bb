package io.edgedi.training.window;

import io.edgedi.inference.window.WindowHead;
import io.edgedi.training.eval.Calibration;
import java.util.List;

/**
 * Fits a {@link WindowHead} on trunk features: multinomial logistic regression on the standardised
 * per-channel means, full-batch gradient descent with L2 (deterministic: the same features give the
 * same head), every window weighted alike (weighting classes by the inverse of their count cost
 * more plain-steel windows than it gained defect windows, training/README.md). The standardisation
 * is folded into the kernel and bias, so the head takes raw means as the model's own head does. The
 * temperature is fitted on a held-out set.
 */
public final class WindowHeadTrainer {
  /** Steps, step size and L2 factor; chosen on generated strips (training/README.md). */
  public record Settings(int steps, double learningRate, double l2) {
    public static Settings defaults() {
      return new Settings(2000, 0.5, 3e-4);
    }
  }

  private WindowHeadTrainer() {}

  /**
   * @param features per sample the trunk's per-channel means
   * @param labels per sample its class index into {@code classNames}
   * @param heldOut samples for the temperature (not trained on)
   */
  public static WindowHead fit(
      String modelId,
      String trunkVersion,
      List<String> classNames,
      double[][] features,
      int[] labels,
      double[][] heldOut,
      int[] heldOutLabels,
      Settings s,
      String recipe) {
    int n = features.length;
    int d = features[0].length;
    int k = classNames.size();
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (double[] x : features) {
      for (int j = 0; j < d; j++) {
        mean[j] += x[j] / n;
      }
    }
    for (double[] x : features) {
      for (int j = 0; j < d; j++) {
        sd[j] += (x[j] - mean[j]) * (x[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < d; j++) {
      sd[j] = Math.sqrt(sd[j]) + 1e-6;
    }
    double[][] z = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        z[i][j] = (features[i][j] - mean[j]) / sd[j];
      }
    }
    double[][] w = new double[k][d];
    double[] b = new double[k];
    double[] p = new double[k];
    for (int step = 0; step < s.steps(); step++) {
      double[][] gw = new double[k][d];
      double[] gb = new double[k];
      for (int i = 0; i < n; i++) {
        softmax(w, b, z[i], p);
        for (int c = 0; c < k; c++) {
          double g = p[c] - (c == labels[i] ? 1 : 0);
          gb[c] += g;
          for (int j = 0; j < d; j++) {
            gw[c][j] += g * z[i][j];
          }
        }
      }
      for (int c = 0; c < k; c++) {
        b[c] -= s.learningRate() * gb[c] / n;
        for (int j = 0; j < d; j++) {
          w[c][j] -= s.learningRate() * (gw[c][j] / n + s.l2() * w[c][j]);
        }
      }
    }
    float[] kernel = new float[d * k];
    float[] bias = new float[k];
    for (int c = 0; c < k; c++) {
      double bc = b[c];
      for (int j = 0; j < d; j++) {
        kernel[j * k + c] = (float) (w[c][j] / sd[j]);
        bc -= w[c][j] * mean[j] / sd[j];
      }
      bias[c] = (float) bc;
    }
    WindowHead raw =
        new WindowHead(modelId, trunkVersion, classNames, d, kernel, bias, 1.0, recipe);
    float[][] logits = new float[heldOut.length][];
    for (int i = 0; i < heldOut.length; i++) {
      logits[i] = raw.logits(heldOut[i]);
    }
    double t = Calibration.fitTemperature(logits, heldOutLabels);
    return new WindowHead(modelId, trunkVersion, classNames, d, kernel, bias, t, recipe);
  }

  private static void softmax(double[][] w, double[] b, double[] x, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < out.length; c++) {
      double v = b[c];
      for (int j = 0; j < x.length; j++) {
        v += w[c][j] * x[j];
      }
      out[c] = v;
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int c = 0; c < out.length; c++) {
      out[c] = Math.exp(out[c] - max);
      sum += out[c];
    }
    for (int c = 0; c < out.length; c++) {
      out[c] /= sum;
    }
  }
}
