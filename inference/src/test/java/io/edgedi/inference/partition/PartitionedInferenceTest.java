package io.edgedi.inference.partition;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionedInferenceTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vgg13",
        "vgg16",
        "resnet18",
        "vgg13-scar",
        "vgg16-scar",
        "resnet18-scar",
        "vgg13-scarp",
        "vgg16-scarp",
        "resnet18-scarp"
      })
  void randomPlansMatchMonolithicInference(String name) {
    ModelSpec model = ModelZoo.byName(name, 48, 40);
    FoldedWeights w = FoldedWeights.fold(RandomWeights.create(model, 7), "random-7");
    try (SliceRunner runner = new SliceRunner(w)) {
      ExactnessCheck.Report r = ExactnessCheck.run(runner, 4, 6, 11);
      System.out.println(r);
      assertTrue(r.maxAbsDiff() <= 1e-4, () -> "partitioned differs from monolithic: " + r);
      assertTrue(r.oneRowBands() > 0, "the random plans should include one-row bands");
    }
  }
}
