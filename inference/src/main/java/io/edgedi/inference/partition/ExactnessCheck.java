package io.edgedi.inference.partition;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import java.util.SplittableRandom;

/**
 * Compares partitioned with monolithic inference on random images and random plans. The difference
 * is taken over the stitched trunk output and the logits; the relative figure divides by the
 * largest magnitude of the monolithic values (per-element ratios explode near zero).
 */
public final class ExactnessCheck {
  private ExactnessCheck() {}

  public record Report(
      String model,
      int workers,
      int plans,
      long seed,
      double maxAbsDiff,
      double maxRelDiff,
      int stagesMin,
      int stagesMax,
      int oneRowBands) {}

  public static Report run(SliceRunner runner, int workers, int plans, long seed) {
    ModelSpec model = runner.weights().model();
    SplittableRandom rnd = new SplittableRandom(seed);
    PartitionedInference inference = new PartitionedInference(runner);
    PartitionPlan mono = PartitionPlan.monolithic(model);
    double maxAbs = 0;
    double maxRef = 0;
    int stagesMin = Integer.MAX_VALUE;
    int stagesMax = 0;
    int oneRow = 0;
    for (int p = 0; p < plans; p++) {
      FeatureMap image = randomImage(model, rnd);
      PartitionPlan plan = RandomPlans.draw(model, workers, rnd);
      stagesMin = Math.min(stagesMin, plan.stages().size());
      stagesMax = Math.max(stagesMax, plan.stages().size());
      for (StagePlan s : plan.stages()) {
        oneRow += (int) s.bands().stream().filter(b -> b.size() == 1).count();
      }
      PartitionedInference.Output want = inference.run(mono, image);
      PartitionedInference.Output got = inference.run(plan, image);
      maxAbs = Math.max(maxAbs, maxAbsDiff(want.trunk().data(), got.trunk().data()));
      maxAbs = Math.max(maxAbs, maxAbsDiff(want.logits(), got.logits()));
      maxRef = Math.max(maxRef, maxAbs(want.trunk().data()));
      maxRef = Math.max(maxRef, maxAbs(want.logits()));
    }
    return new Report(
        model.name(),
        workers,
        plans,
        seed,
        maxAbs,
        maxRef > 0 ? maxAbs / maxRef : 0,
        stagesMin,
        stagesMax,
        oneRow);
  }

  /** Uniform noise in [0, 1), the scale of a normalised 8-bit image. */
  public static FeatureMap randomImage(ModelSpec model, SplittableRandom rnd) {
    var s = model.inputShape();
    float[] px = new float[(int) s.elements()];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rnd.nextDouble();
    }
    return FeatureMap.whole(s.height(), s.width(), s.channels(), px);
  }

  public static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      return Double.POSITIVE_INFINITY;
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs((double) a[i] - b[i]);
      if (Double.isNaN(d)) {
        return Double.POSITIVE_INFINITY;
      }
      m = Math.max(m, d);
    }
    return m;
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
