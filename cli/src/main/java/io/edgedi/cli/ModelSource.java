package io.edgedi.cli;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.inference.weights.WeightFile;
import java.io.IOException;
import java.nio.file.Path;

/** Picks a model's weights for a command: a weight file if given, else seeded random weights. */
final class ModelSource {
  private ModelSource() {}

  static FoldedWeights load(String model, Path weights, long seed) throws IOException {
    if (weights != null) {
      WeightFile.Loaded loaded = model == null ? WeightFile.read(weights) : WeightFile.read(weights, model);
      return loaded.folded();
    }
    ModelSpec spec = ModelZoo.byName(model);
    return FoldedWeights.fold(RandomWeights.create(spec, seed), "random-seed-" + seed);
  }
}
