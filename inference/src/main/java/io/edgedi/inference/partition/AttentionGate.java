package io.edgedi.inference.partition;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.weights.FoldedWeights;
import java.util.List;

/**
 * The leader's half of the reduce step for a channel attention: adds the workers' partial sums
 * (double, in worker order), divides by the map's area, and applies dense + sigmoid. The result
 * equals the monolithic gate up to float rounding of the sums.
 */
public final class AttentionGate {
  private AttentionGate() {}

  public static float[] compute(FoldedWeights weights, int attentionNode, List<double[]> partialSums) {
    ModelSpec model = weights.model();
    if (!(model.node(attentionNode).op() instanceof Op.ChannelAttention a)) {
      throw new IllegalArgumentException("node " + attentionNode + " is not a channel attention");
    }
    int c = a.channels();
    double[] mean = new double[c];
    for (double[] p : partialSums) {
      if (p.length != c) {
        throw new IllegalArgumentException("partial sum of " + p.length + " channels, expected " + c);
      }
      for (int i = 0; i < c; i++) {
        mean[i] += p[i];
      }
    }
    var in = model.shape(model.node(attentionNode).inputs().get(0));
    double area = (double) in.height() * in.width();
    for (int i = 0; i < c; i++) {
      mean[i] /= area;
    }
    float[] kernel = weights.kernel(attentionNode);
    float[] bias = weights.bias(attentionNode);
    float[] gate = new float[c];
    for (int j = 0; j < c; j++) {
      double z = bias[j];
      for (int i = 0; i < c; i++) {
        z += mean[i] * kernel[i * c + j];
      }
      gate[j] = (float) (1.0 / (1.0 + Math.exp(-z)));
    }
    return gate;
  }
}
