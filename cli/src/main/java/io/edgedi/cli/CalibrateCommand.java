package io.edgedi.cli;

import io.edgedi.camera.capture.Degradation;
import io.edgedi.inference.trust.TrustPolicy;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.ModelWeights;
import io.edgedi.inference.weights.WeightFile;
import io.edgedi.training.data.DataSets;
import io.edgedi.training.eval.Calibrator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Fits a weight file's confidence temperature and focus floor and writes them into its metadata.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description =
        "Fit the softmax temperature and the out-of-focus floor on held-out images (clean and degraded) "
            + "and write them into the weight file's metadata.")
final class CalibrateCommand implements Callable<Integer> {
  @Option(names = "--weights", required = true, description = "Weight file to calibrate.")
  Path weights;

  @Option(
      names = "--data",
      required = true,
      description = "NEU-CLS folder (DIR/val is used if present).")
  Path data;

  @Option(names = "--out", required = true, description = "Calibrated weight file to write.")
  Path out;

  @Option(
      names = "--conditions",
      defaultValue = "clean,realistic",
      description =
          "Capture conditions pooled for the fit (default ${DEFAULT-VALUE}); see eval --perturb.")
  String conditions;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description =
          "Seed of the degradations (default ${DEFAULT-VALUE}; eval uses another, so the noise differs).")
  long seed;

  @Option(
      names = "--min-confidence",
      defaultValue = "0.6",
      description =
          "Calibrated confidence below which the planner marks a frame untrusted (default ${DEFAULT-VALUE}).")
  double minConfidence;

  @Option(names = "--float16", description = "Write float16 data.")
  boolean float16;

  @Mixin TfThreads tf;

  @Option(names = "--json", description = "Write the fit here.")
  Path json;

  @Override
  public Integer call() throws Exception {
    tf.apply();
    WeightFile.Loaded loaded = WeightFile.read(weights);
    FoldedWeights folded = loaded.folded();
    var samples =
        DataSets.evaluationSet(data, folded.model().inputHeight(), folded.model().inputWidth());
    Calibrator.Fit fit =
        Calibrator.fit(
            folded,
            samples,
            Degradation.parseList(conditions),
            seed,
            c -> System.err.println("calibrate: " + c));
    Map<String, String> meta = new LinkedHashMap<>(loaded.weights().metadata());
    meta.put(TrustPolicy.TEMPERATURE, String.format(Locale.ROOT, "%.6f", fit.temperature()));
    meta.put(TrustPolicy.SHARPNESS_FLOOR, String.format(Locale.ROOT, "%.6f", fit.sharpnessFloor()));
    meta.put(TrustPolicy.CONTRAST_FLOOR, String.format(Locale.ROOT, "%.4f", fit.contrastFloor()));
    meta.put(TrustPolicy.MIN_CONFIDENCE, Double.toString(minConfidence));
    meta.put("calibration.conditions", conditions);
    meta.put("calibration.seed", Long.toString(seed));
    meta.put("calibration.images", Integer.toString(samples.size()));
    ModelWeights w = loaded.weights();
    String version =
        WeightFile.write(
            out,
            new ModelWeights(w.model(), w.tensors(), meta),
            float16 ? WeightFile.Precision.FLOAT16 : WeightFile.Precision.FLOAT32);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("weights", weights.toString());
    report.put("out", out.toString());
    report.put("version", version);
    report.put("fit", fit);
    if (json != null) {
      Json.write(json, report);
    }
    System.out.println(Json.MAPPER.writeValueAsString(report));
    return 0;
  }
}
