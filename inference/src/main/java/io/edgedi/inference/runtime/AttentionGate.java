package io.edgedi.inference.runtime;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.weights.FoldedWeights;

/**
 * A channel attention's gate from the whole map's per-channel sums of its gate source (its input
 * for SCAR, the level's input for scarp): divide by the map's area, dense, sigmoid. Every band
 * computes it from the same sums (added in band order), so every band applies the same gate, and a
 * one-band run the monolithic one.
 */
final class AttentionGate {
  private AttentionGate() {}

  static float[] compute(FoldedWeights weights, int attentionNode, double[] wholeSums) {
    ModelSpec model = weights.model();
    if (!(model.node(attentionNode).op() instanceof Op.ChannelAttention a)) {
      throw new IllegalArgumentException("node " + attentionNode + " is not a channel attention");
    }
    int c = a.channels();
    var source = model.shape(model.gateSource(attentionNode));
    int s = source.channels();
    if (wholeSums.length != s) {
      throw new IllegalArgumentException(
          "sums of "
              + wholeSums.length
              + " channels, the gate source of"
              + " attention "
              + attentionNode
              + " has "
              + s);
    }
    double area = (double) source.height() * source.width();
    double[] mean = new double[s];
    for (int i = 0; i < s; i++) {
      mean[i] = wholeSums[i] / area;
    }
    float[] kernel = weights.kernel(attentionNode);
    float[] bias = weights.bias(attentionNode);
    float[] gate = new float[c];
    for (int j = 0; j < c; j++) {
      double z = bias[j];
      for (int i = 0; i < s; i++) {
        z += mean[i] * kernel[i * c + j];
      }
      gate[j] = (float) (1.0 / (1.0 + Math.exp(-z)));
    }
    return gate;
  }
}
