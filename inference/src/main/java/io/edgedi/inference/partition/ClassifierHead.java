package io.edgedi.inference.partition;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.weights.FoldedWeights;

/**
 * The head the leader runs on the stitched trunk output: global average pooling, dense, softmax.
 */
public final class ClassifierHead {
  private ClassifierHead() {}

  public static float[] logits(FoldedWeights weights, FeatureMap trunk) {
    return logitsFromSums(weights, sums(trunk));
  }

  /** The per-channel sums of a trunk output: all a head needs of it. */
  public static double[] sums(FeatureMap trunk) {
    int c = trunk.channels();
    double[] sums = new double[c];
    float[] d = trunk.data();
    for (int i = 0; i < d.length; i++) {
      sums[i % c] += d[i];
    }
    return sums;
  }

  /**
   * The logits from the per-channel sums of the whole trunk output: what a partitioned run sends
   * the leader instead of the map (each band's sums, added in band order).
   */
  public static float[] logitsFromSums(FoldedWeights weights, double[] sums) {
    double[] means = means(weights.model(), sums);
    int c = means.length;
    int classes = weights.model().classes();
    float[] k = weights.headKernel();
    float[] b = weights.headBias();
    float[] out = new float[classes];
    for (int j = 0; j < classes; j++) {
      double z = b[j];
      for (int i = 0; i < c; i++) {
        z += means[i] * k[i * classes + j];
      }
      out[j] = (float) z;
    }
    return out;
  }

  /** Global average pooling: the per-channel sums of the whole trunk output over its positions. */
  public static double[] means(ModelSpec model, double[] sums) {
    var shape = model.shape(model.lastNode());
    int c = shape.channels();
    if (sums.length != c) {
      throw new IllegalArgumentException(sums.length + " head sums for " + c + " channels");
    }
    double area = (double) shape.height() * shape.width();
    double[] means = new double[c];
    for (int i = 0; i < c; i++) {
      means[i] = sums[i] / area;
    }
    return means;
  }

  public static float[] softmax(float[] logits) {
    return softmax(logits, 1.0);
  }

  /** Softmax of {@code logits / temperature} (temperature scaling of a calibrated model). */
  public static float[] softmax(float[] logits, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v / temperature);
    }
    double sum = 0;
    double[] e = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      e[i] = Math.exp(logits[i] / temperature - max);
      sum += e[i];
    }
    float[] out = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      out[i] = (float) (e[i] / sum);
    }
    return out;
  }

  public static int argmax(float[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }
}
