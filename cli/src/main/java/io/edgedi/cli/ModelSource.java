package io.edgedi.cli;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.inference.weights.WeightFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Picks a model's weights for a command: a weight file if given, the shipped trained model by
 * default, seeded random weights for a named model without a file.
 */
final class ModelSource {
  /** The trained compact model in the CLI jar (see training/README.md for how it was made). */
  static final String SHIPPED = "/models/default.edw";

  private ModelSource() {}

  static FoldedWeights shipped() throws IOException {
    try (java.io.InputStream in = ModelSource.class.getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IllegalStateException(
            "this build has no shipped model "
                + SHIPPED
                + "; give --model (random weights) or --weights FILE");
      }
      return WeightFile.read(in, "shipped " + SHIPPED).folded();
    }
  }

  static FoldedWeights load(String model, Path weights, long seed) throws IOException {
    if (weights != null) {
      WeightFile.Loaded loaded =
          model == null ? WeightFile.read(weights) : WeightFile.read(weights, model);
      return loaded.folded();
    }
    ModelSpec spec = ModelZoo.byName(model);
    return FoldedWeights.fold(RandomWeights.create(spec, seed), "random-seed-" + seed);
  }
}
