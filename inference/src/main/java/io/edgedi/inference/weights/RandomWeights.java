package io.edgedi.inference.weights;

import io.edgedi.inference.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random weights: He-scaled kernels and BatchNorm statistics away from identity, so that
 * tests exercise folding and activations stay of order one through deep stacks.
 */
public final class RandomWeights {
  private RandomWeights() {}

  public static ModelWeights create(ModelSpec model, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<NamedTensor> out = new ArrayList<>();
    for (Map.Entry<String, int[]> e : WeightLayout.expected(model).entrySet()) {
      String name = e.getKey();
      int[] shape = e.getValue();
      float[] v = new float[(int) NamedTensor.elements(shape)];
      String kind = name.substring(name.lastIndexOf('.') + 1);
      int fanIn = shape.length == 4 ? shape[0] * shape[1] * shape[2] : shape[0];
      for (int i = 0; i < v.length; i++) {
        v[i] =
            (float)
                switch (kind) {
                  case "kernel", "dense_kernel" -> gaussian(rnd) * Math.sqrt(2.0 / fanIn);
                  case "bias", "dense_bias", "bn_beta", "bn_mean" -> gaussian(rnd) * 0.1;
                  case "bn_gamma" -> 0.8 + 0.4 * rnd.nextDouble();
                  case "bn_variance" -> 0.5 + rnd.nextDouble();
                  default -> throw new IllegalStateException("no init rule for " + name);
                };
      }
      out.add(new NamedTensor(name, shape, v));
    }
    return new ModelWeights(model, out, Map.of("origin", "random", "seed", Long.toString(seed)));
  }

  /** A standard normal sample (Box-Muller: SplittableRandom has no nextGaussian on Java 17). */
  public static double gaussian(SplittableRandom rnd) {
    double u = 1.0 - rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }
}
