package io.edgedi.training.graph;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.weights.ModelWeights;
import io.edgedi.inference.weights.NamedTensor;
import io.edgedi.inference.weights.WeightLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded starting weights for training from scratch: He-normal conv kernels, Glorot-uniform dense
 * kernels, zero biases, BatchNorm at identity (gamma 1, beta 0, mean 0, variance 1). Unlike the
 * inference module's {@code RandomWeights} (which perturbs BatchNorm to test folding), this is the
 * usual training start.
 */
public final class Initializer {
  private Initializer() {}

  public static ModelWeights create(ModelSpec model, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<NamedTensor> out = new ArrayList<>();
    for (Map.Entry<String, int[]> e : WeightLayout.expected(model).entrySet()) {
      String name = e.getKey();
      int[] shape = e.getValue();
      float[] v = new float[(int) NamedTensor.elements(shape)];
      String kind = name.substring(name.lastIndexOf('.') + 1);
      switch (kind) {
        case "kernel" -> {
          if (shape.length == 4) {
            double std = Math.sqrt(2.0 / (shape[0] * shape[1] * shape[2]));
            for (int i = 0; i < v.length; i++) {
              v[i] = (float) (gaussian(rnd) * std);
            }
          } else {
            glorot(v, shape[0], shape[1], rnd);
          }
        }
        case "dense_kernel" -> glorot(v, shape[0], shape[1], rnd);
        case "bn_gamma", "bn_variance" -> java.util.Arrays.fill(v, 1f);
        case "bias", "dense_bias", "bn_beta", "bn_mean" -> {}
        default -> throw new IllegalStateException("no init rule for " + name);
      }
      out.add(new NamedTensor(name, shape, v));
    }
    return new ModelWeights(model, out, Map.of("origin", "init", "seed", Long.toString(seed)));
  }

  private static void glorot(float[] v, int in, int out, SplittableRandom rnd) {
    double limit = Math.sqrt(6.0 / (in + out));
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((2 * rnd.nextDouble() - 1) * limit);
    }
  }

  private static double gaussian(SplittableRandom rnd) {
    return io.edgedi.inference.weights.RandomWeights.gaussian(rnd);
  }
}
