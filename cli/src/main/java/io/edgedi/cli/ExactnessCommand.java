package io.edgedi.cli;

import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Partitioned vs monolithic inference on random plans; exit 1 when they differ by more than 1e-4.
 */
@Command(
    name = "exactness",
    mixinStandardHelpOptions = true,
    description = "Check that partitioned inference equals monolithic inference on random plans.")
final class ExactnessCommand implements Callable<Integer> {
  static final double TOLERANCE = 1e-4;

  @Option(names = "--model", required = true, description = "Zoo model name, e.g. vgg16-scar.")
  String model;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "Workers per plan (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--plans",
      defaultValue = "5",
      description = "Random plans to try (default ${DEFAULT-VALUE}).")
  int plans;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for weights, images and plans.")
  long seed;

  @Option(names = "--weights", description = "Weight file; default: seeded random weights.")
  Path weights;

  @Mixin TfThreads tf;

  @Option(names = "--json", description = "Write the result here as JSON.")
  Path json;

  @Option(
      names = "--image-size",
      defaultValue = "200",
      description =
          "Input height and width (default ${DEFAULT-VALUE}; smaller is faster for smoke tests).")
  int imageSize;

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || plans < 1) {
      throw new IllegalArgumentException("--workers and --plans must be >= 1");
    }
    tf.apply();
    FoldedWeights w =
        weights != null
            ? ModelSource.load(model, weights, seed)
            : FoldedWeights.fold(
                RandomWeights.create(ModelZoo.byName(model, imageSize, imageSize), seed),
                "random-seed-" + seed);
    ExactnessCheck.Report r;
    long started = System.nanoTime();
    try (SliceRunner runner = new SliceRunner(w)) {
      r = ExactnessCheck.run(runner, workers, plans, seed);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", r.model());
    out.put("weights", w.version());
    out.put("workers", r.workers());
    out.put("plans", r.plans());
    out.put("seed", r.seed());
    out.put("maxAbsDiff", r.maxAbsDiff());
    out.put("maxRelDiff", r.maxRelDiff());
    out.put("tolerance", TOLERANCE);
    out.put("stagesPerPlan", Map.of("min", r.stagesMin(), "max", r.stagesMax()));
    out.put("oneRowBands", r.oneRowBands());
    out.put("seconds", (System.nanoTime() - started) / 1e9);
    boolean ok = r.maxAbsDiff() <= TOLERANCE;
    out.put("exact", ok);
    if (json != null) {
      Json.write(json, out);
    }
    System.out.println(Json.MAPPER.writeValueAsString(out));
    if (!ok) {
      System.err.println(
          "FAILED: partitioned output differs from monolithic by "
              + r.maxAbsDiff()
              + " > "
              + TOLERANCE);
    }
    return ok ? 0 : 1;
  }
}
