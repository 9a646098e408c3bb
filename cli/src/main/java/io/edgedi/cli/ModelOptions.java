package io.edgedi.cli;

import io.edgedi.inference.weights.FoldedWeights;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which model and weights a component runs; planner and workers must agree on both. */
final class ModelOptions {
  @Option(
      names = "--model",
      defaultValue = "${env:EDGEDI_MODEL}",
      description =
          "Zoo model (env EDGEDI_MODEL). Without --model and --weights: the shipped trained model.")
  String model;

  @Option(
      names = "--weights",
      defaultValue = "${env:EDGEDI_WEIGHTS}",
      description = "Weight file (env EDGEDI_WEIGHTS); with --model alone: seeded random weights.")
  Path weights;

  @Option(
      names = "--weights-seed",
      defaultValue = "1",
      description = "Seed of the random weights (default ${DEFAULT-VALUE}).")
  long seed;

  FoldedWeights load() throws IOException {
    if (model == null && weights == null) {
      return ModelSource.shipped();
    }
    return ModelSource.load(weights == null ? model : null, weights, seed);
  }

  /** True when the weights come from training (a file or the shipped model), not random. */
  boolean trained() {
    return weights != null || model == null;
  }
}
