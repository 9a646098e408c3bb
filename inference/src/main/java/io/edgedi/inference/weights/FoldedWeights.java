package io.edgedi.inference.weights;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import java.util.HashMap;
import java.util.Map;

/**
 * Weights in the form they run: BatchNorm folded into each conv's kernel and bias ({@code k' = k *
 * g/sqrt(v+eps)}, {@code b' = (b - m) * g/sqrt(v+eps) + beta}). Immutable after construction; safe
 * to share between threads.
 */
public final class FoldedWeights {
  /** Keras' default; BatchNorm statistics in weight files assume it. */
  public static final double BN_EPSILON = 1e-3;

  private final ModelSpec model;
  private final String version;
  private final Map<Integer, float[]> kernels = new HashMap<>();
  private final Map<Integer, float[]> biases = new HashMap<>();
  private final float[] headKernel;
  private final float[] headBias;
  private final Map<String, String> metadata;

  private FoldedWeights(ModelWeights w, String version) {
    this.model = w.model();
    this.version = version;
    this.metadata = Map.copyOf(w.metadata());
    for (Node n : model.nodes()) {
      if (n.op() instanceof Op.Conv c) {
        float[] k = w.values(n.name() + ".kernel").clone();
        float[] b = w.values(n.name() + ".bias").clone();
        if (c.batchNorm()) {
          fold(
              k,
              b,
              w.values(n.name() + ".bn_gamma"),
              w.values(n.name() + ".bn_beta"),
              w.values(n.name() + ".bn_mean"),
              w.values(n.name() + ".bn_variance"));
        }
        kernels.put(n.id(), k);
        biases.put(n.id(), b);
      } else if (n.op() instanceof Op.ChannelAttention) {
        kernels.put(n.id(), w.values(n.name() + ".dense_kernel").clone());
        biases.put(n.id(), w.values(n.name() + ".dense_bias").clone());
      }
    }
    headKernel = w.values(WeightLayout.HEAD + ".kernel").clone();
    headBias = w.values(WeightLayout.HEAD + ".bias").clone();
  }

  public static FoldedWeights fold(ModelWeights weights, String version) {
    return new FoldedWeights(weights, version);
  }

  private static void fold(
      float[] kernel, float[] bias, float[] gamma, float[] beta, float[] mean, float[] variance) {
    int out = bias.length;
    double[] scale = new double[out];
    for (int o = 0; o < out; o++) {
      scale[o] = gamma[o] / Math.sqrt(variance[o] + BN_EPSILON);
      bias[o] = (float) ((bias[o] - mean[o]) * scale[o] + beta[o]);
    }
    // HWIO: the output channel is the fastest-moving index.
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (float) (kernel[i] * scale[i % out]);
    }
  }

  public ModelSpec model() {
    return model;
  }

  /** The weight file's metadata (training settings, calibration), unmodifiable. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Identifies the weights (the weight file's checksum prefix, or how they were made). */
  public String version() {
    return version;
  }

  /** Conv kernel (HWIO) or attention dense kernel (in x out) of a node. Do not modify. */
  public float[] kernel(int node) {
    return require(kernels, node);
  }

  public float[] bias(int node) {
    return require(biases, node);
  }

  public float[] headKernel() {
    return headKernel;
  }

  public float[] headBias() {
    return headBias;
  }

  private float[] require(Map<Integer, float[]> map, int node) {
    float[] v = map.get(node);
    if (v == null) {
      throw new IllegalArgumentException(
          "node " + node + " of " + model.name() + " has no weights");
    }
    return v;
  }
}
