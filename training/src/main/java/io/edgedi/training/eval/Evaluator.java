package io.edgedi.training.eval;

import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.partition.PartitionPlan;
import io.edgedi.inference.partition.PartitionedInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.training.data.Sample;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Evaluates weights exactly as they are deployed: folded BatchNorm, {@link PartitionedInference}
 * with the monolithic plan, one image at a time. The numbers are therefore those of the running
 * system, not of the training graph.
 */
public final class Evaluator {
  private Evaluator() {}

  public static EvalReport evaluate(FoldedWeights weights, List<Sample> samples, String dataName,
                                    IntConsumer progress) {
    ModelSpec spec = weights.model();
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no images to evaluate");
    }
    int classes = spec.classes();
    int[][] confusion = new int[classes][classes];
    double[] millis = new double[samples.size()];
    PartitionPlan plan = PartitionPlan.monolithic(spec);
    try (SliceRunner runner = new SliceRunner(weights)) {
      PartitionedInference inference = new PartitionedInference(runner);
      // Warm-up: the first run of a session is slow.
      inference.run(plan, input(spec, samples.get(0)));
      for (int i = 0; i < samples.size(); i++) {
        Sample s = samples.get(i);
        FeatureMap image = input(spec, s);
        long t0 = System.nanoTime();
        float[] logits = inference.run(plan, image).logits();
        millis[i] = (System.nanoTime() - t0) / 1e6;
        confusion[s.label()][ClassifierHead.argmax(logits)]++;
        if (progress != null) {
          progress.accept(i + 1);
        }
      }
    }
    int ok = 0;
    Map<String, Double> perClass = new LinkedHashMap<>();
    for (int c = 0; c < classes; c++) {
      ok += confusion[c][c];
      int total = Arrays.stream(confusion[c]).sum();
      perClass.put(spec.classNames().get(c), total == 0 ? Double.NaN : (double) confusion[c][c] / total);
    }
    Arrays.sort(millis);
    return new EvalReport(spec.name(), weights.version(), dataName, samples.size(),
        (double) ok / samples.size(), perClass, spec.classNames(), confusion,
        ModelCost.params(spec), ModelCost.macs(spec), millis[millis.length / 2], TfRuntime.threads());
  }

  private static FeatureMap input(ModelSpec spec, Sample s) {
    if (s.height() != spec.inputHeight() || s.width() != spec.inputWidth()) {
      throw new IllegalArgumentException(s.origin() + " is " + s.width() + "x" + s.height()
          + ", model " + spec.name() + " takes " + spec.inputWidth() + "x" + spec.inputHeight());
    }
    return FeatureMap.whole(s.height(), s.width(), 1, s.toInput());
  }
}
