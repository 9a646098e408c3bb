package io.edgedi.cli;

import io.edgedi.inference.weights.FoldedWeights;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which model and weights a component runs; planner and workers must agree on both. */
final class ModelOptions {
  @Option(names = "--model", defaultValue = "${env:EDGEDI_MODEL:-vgg16-scar}",
      description = "Zoo model (env EDGEDI_MODEL; default ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--weights", defaultValue = "${env:EDGEDI_WEIGHTS}",
      description = "Weight file (env EDGEDI_WEIGHTS); without it, seeded random weights.")
  Path weights;

  @Option(names = "--weights-seed", defaultValue = "1", description = "Seed of the random weights (default ${DEFAULT-VALUE}).")
  long seed;

  FoldedWeights load() throws IOException {
    return ModelSource.load(weights == null ? model : null, weights, seed);
  }
}
