package io.edgedi.training.eval;

import io.edgedi.camera.capture.Degradation;
import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.partition.MonolithicInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.inference.trust.DistrustReason;
import io.edgedi.inference.trust.TrustPolicy;
import io.edgedi.inference.trust.TrustVerdict;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.training.data.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Evaluates weights exactly as they are deployed: folded BatchNorm, {@link MonolithicInference}
 * with the monolithic plan, one image at a time, the weight file's own trust policy. The numbers
 * are therefore those of the running system, not of the training graph.
 */
public final class Evaluator {
  private Evaluator() {}

  public static EvalReport evaluate(
      FoldedWeights weights, List<Sample> samples, String dataName, IntConsumer progress) {
    TrustPolicy policy = TrustPolicy.of(weights.metadata());
    return summarise(
        weights,
        dataName,
        predict(weights, samples, Degradation.none(), 0, policy, progress),
        policy);
  }

  /**
   * Runs every sample, degraded by {@code degradation}; each image's random draw depends only on
   * {@code seed} and the image's origin, so a condition is the same data set in every run.
   */
  public static Predictions predict(
      FoldedWeights weights,
      List<Sample> samples,
      Degradation degradation,
      long seed,
      TrustPolicy policy,
      IntConsumer progress) {
    ModelSpec spec = weights.model();
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no images to evaluate");
    }
    int[] labels = new int[samples.size()];
    float[][] logits = new float[samples.size()][];
    List<TrustVerdict> verdicts = new ArrayList<>(samples.size());
    double[] millis = new double[samples.size()];
    try (MonolithicInference inference = new MonolithicInference(weights)) {
      // Warm-up: the first run of a session is slow.
      inference.run(input(spec, samples.get(0), samples.get(0).pixels()));
      for (int i = 0; i < samples.size(); i++) {
        Sample s = samples.get(i);
        byte[] px =
            degradation.apply(
                s.pixels(),
                s.height(),
                s.width(),
                seed ^ (s.origin().hashCode() * 0x9E3779B97F4A7C15L));
        FeatureMap image = input(spec, s, px);
        long t0 = System.nanoTime();
        logits[i] = inference.run(image).logits();
        millis[i] = (System.nanoTime() - t0) / 1e6;
        labels[i] = s.label();
        verdicts.add(policy.assess(logits[i], px, s.height(), s.width()));
        if (progress != null) {
          progress.accept(i + 1);
        }
      }
    }
    Arrays.sort(millis);
    return new Predictions(
        degradation.toString(), labels, logits, verdicts, millis[millis.length / 2]);
  }

  public static EvalReport summarise(
      FoldedWeights weights, String dataName, Predictions p, TrustPolicy policy) {
    ModelSpec spec = weights.model();
    int classes = spec.classes();
    int[][] confusion = new int[classes][classes];
    double confSum = 0;
    int untrusted = 0;
    Map<String, Integer> reasons = new LinkedHashMap<>();
    for (int i = 0; i < p.labels().length; i++) {
      confusion[p.labels()[i]][ClassifierHead.argmax(p.logits()[i])]++;
      TrustVerdict v = p.verdicts().get(i);
      confSum += v.confidence();
      if (!v.trusted()) {
        untrusted++;
      }
      for (DistrustReason r : v.reasons()) {
        reasons.merge(r.name(), 1, Integer::sum);
      }
    }
    int ok = 0;
    double minClass = 1;
    Map<String, Double> perClass = new LinkedHashMap<>();
    for (int c = 0; c < classes; c++) {
      ok += confusion[c][c];
      int total = Arrays.stream(confusion[c]).sum();
      double acc = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
      perClass.put(spec.classNames().get(c), acc);
      if (total > 0) {
        minClass = Math.min(minClass, acc);
      }
    }
    int n = p.labels().length;
    return new EvalReport(
        spec.name(),
        weights.version(),
        dataName,
        p.condition(),
        n,
        (double) ok / n,
        perClass,
        minClass,
        spec.classNames(),
        confusion,
        Calibration.expectedCalibrationError(p.logits(), p.labels(), policy.temperature()),
        confSum / n,
        policy.temperature(),
        (double) untrusted / n,
        reasons,
        ModelCost.params(spec),
        ModelCost.macs(spec),
        p.medianMillis(),
        TfRuntime.threads());
  }

  private static FeatureMap input(ModelSpec spec, Sample s, byte[] pixels) {
    if (s.height() != spec.inputHeight() || s.width() != spec.inputWidth()) {
      throw new IllegalArgumentException(
          s.origin()
              + " is "
              + s.width()
              + "x"
              + s.height()
              + ", model "
              + spec.name()
              + " takes "
              + spec.inputWidth()
              + "x"
              + spec.inputHeight());
    }
    return FeatureMap.whole(s.height(), s.width(), 1, Sample.toInput(pixels));
  }
}
