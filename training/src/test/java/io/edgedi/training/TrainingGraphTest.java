package io.edgedi.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.PartitionPlan;
import io.edgedi.inference.partition.PartitionedInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.ModelWeights;
import io.edgedi.inference.weights.WeightFile;
import io.edgedi.training.data.DataSets;
import io.edgedi.training.data.Sample;
import io.edgedi.training.graph.Initializer;
import io.edgedi.training.graph.TrainingGraph;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingGraphTest {
  @TempDir Path dir;

  static float[] batch(List<Sample> samples) {
    int n = samples.get(0).pixels().length;
    float[] out = new float[samples.size() * n];
    for (int i = 0; i < samples.size(); i++) {
      System.arraycopy(samples.get(i).toInput(), 0, out, i * n, n);
    }
    return out;
  }

  static int[] labels(List<Sample> samples) {
    return samples.stream().mapToInt(Sample::label).toArray();
  }

  @Test
  void lossDecreasesOnTinySyntheticTask() {
    ModelSpec spec = ModelZoo.byName("vgg13-scar", 32, 32);
    List<Sample> data = DataSets.synthetic(24, 100, 32, 32);
    float[] x = batch(data);
    int[] y = labels(data);
    try (TrainingGraph g = new TrainingGraph(Initializer.create(spec, 3), null)) {
      float first = g.trainStep(x, y, 3e-3f, 0f, 0.9f).loss();
      float last = first;
      for (int i = 0; i < 25; i++) {
        last = g.trainStep(x, y, 3e-3f, 0f, 0.9f).loss();
      }
      assertTrue(last < first * 0.7, "loss " + first + " -> " + last);
    }
  }

  /** The training graph in inference mode and the deployment runtime agree on exported weights. */
  @ParameterizedTest
  @ValueSource(strings = {"vgg16-scar", "resnet18-scar", "vgg16-scarp", "resnet18-scarp"})
  void exportedWeightsGiveSameLogitsInDeploymentRuntime(String name) throws Exception {
    ModelSpec spec = ModelZoo.byName(name, 40, 40);
    List<Sample> data = DataSets.synthetic(6, 7, 40, 40);
    float[] x = batch(data);
    try (TrainingGraph g = new TrainingGraph(Initializer.create(spec, 5), null)) {
      for (int i = 0; i < 3; i++) {
        g.trainStep(x, labels(data), 1e-3f, 1e-4f, 0.5f);
      }
      float[] graphLogits = g.predict(x, data.size());
      ModelWeights w = g.export(Map.of("origin", "test"));
      Path file = dir.resolve(name + ".edw");
      WeightFile.write(file, w, WeightFile.Precision.FLOAT32);
      FoldedWeights folded = WeightFile.read(file).folded();
      double max = 0;
      try (SliceRunner runner = new SliceRunner(folded)) {
        PartitionedInference inf = new PartitionedInference(runner);
        for (int i = 0; i < data.size(); i++) {
          float[] logits =
              inf.run(
                      PartitionPlan.monolithic(spec),
                      FeatureMap.whole(40, 40, 1, data.get(i).toInput()))
                  .logits();
          float[] mine = Arrays.copyOfRange(graphLogits, i * 6, i * 6 + 6);
          max = Math.max(max, ExactnessCheck.maxAbsDiff(logits, mine));
        }
      }
      System.out.println(
          name + ": training graph vs deployment runtime, max abs logit diff " + max);
      assertTrue(max < 1e-3, name + ": max abs diff " + max);
    }
  }
}
