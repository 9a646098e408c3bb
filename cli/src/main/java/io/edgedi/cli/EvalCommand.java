package io.edgedi.cli;

import io.edgedi.camera.capture.Degradation;
import io.edgedi.cli.report.EvalSetReport;
import io.edgedi.cli.report.EvalSetReport.Target;
import io.edgedi.inference.trust.TrustPolicy;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.WeightFile;
import io.edgedi.training.data.DataSets;
import io.edgedi.training.data.Sample;
import io.edgedi.training.eval.Calibration;
import io.edgedi.training.eval.EvalReport;
import io.edgedi.training.eval.Evaluator;
import io.edgedi.training.eval.Predictions;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Accuracy, calibration, confusion matrix and cost of a weight file, measured through the
 * deployment runtime, on clean images and under capture degradations.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate weights on NEU-CLS (DIR/val if present, else all of DIR) through the deployment runtime, "
            + "clean and under capture degradations (--perturb).")
final class EvalCommand implements Callable<Integer> {
  /** Class-path resource of the shipped default model. */
  static final String DEFAULT_MODEL = "/models/default.edw";

  /** Robustness targets of the shipped model (training/README.md, "Capture conditions"). */
  static final double CLEAN_TARGET = 0.99;

  static final double PERTURBED_TARGET = 0.90;
  static final double CLASS_FLOOR = 0.75;
  static final double ECE_TARGET = 0.05;

  @Option(names = "--model", description = "Expected model name of the weight file (checked).")
  String model;

  @Option(
      names = "--weights",
      description = "Weight file; default: the shipped model " + DEFAULT_MODEL + ".")
  Path weights;

  @Option(
      names = "--data",
      description = "NEU-CLS folder (required unless --synthetic only with --no-data).")
  Path data;

  @Option(names = "--no-data", description = "Evaluate on synthetic frames only.")
  boolean noData;

  @Option(
      names = "--synthetic",
      defaultValue = "0",
      description = "Also evaluate N held-out synthetic frames (seeds 9000000+, never trained on).")
  int synthetic;

  @Option(
      names = "--perturb",
      paramLabel = "KIND[:LEVEL][+KIND[:LEVEL]],...",
      description =
          "Also evaluate under these capture conditions, each separately; 'realistic' = every kind "
              + "at its realistic level. Kinds: noise, shot, stripes, defocus, motion, jpeg, h264, exposure, contrast, "
              + "gradient, vignette, shift, rotate, dust.")
  String perturb;

  @Option(
      names = "--seed",
      defaultValue = "20261205",
      description = "Seed of the degradations' random parts (default ${DEFAULT-VALUE}).")
  long seed;

  @Mixin TfThreads tf;

  @Option(names = "--json", description = "Write the report here.")
  Path json;

  @Override
  public Integer call() throws Exception {
    tf.apply();
    FoldedWeights folded = load(weights, model);
    TrustPolicy policy = TrustPolicy.of(folded.metadata());
    List<Degradation> conditions = perturb == null ? List.of() : Degradation.parseList(perturb);
    int h = folded.model().inputHeight();
    int w = folded.model().inputWidth();
    EvalSetReport out = null;
    if (!noData) {
      if (data == null) {
        throw new IllegalArgumentException("--data DIR is required (or --no-data --synthetic N)");
      }
      out =
          evaluateSet(
              folded, policy, DataSets.evaluationSet(data, h, w), data.toString(), conditions);
    } else if (synthetic <= 0) {
      throw new IllegalArgumentException("--no-data needs --synthetic N > 0");
    }
    if (synthetic > 0) {
      EvalSetReport s =
          evaluateSet(
              folded,
              policy,
              DataSets.synthetic(synthetic, 9_000_000L, h, w),
              "synthetic held-out",
              conditions);
      out = noData ? s : out.withSynthetic(s);
    }
    if (json != null) {
      Json.write(json, out);
    }
    if (conditions.isEmpty()) {
      System.out.println(Json.MAPPER.writeValueAsString(out));
    }
    return 0;
  }

  private EvalSetReport evaluateSet(
      FoldedWeights folded,
      TrustPolicy policy,
      List<Sample> samples,
      String name,
      List<Degradation> conditions) {
    EvalReport clean = run(folded, policy, samples, name, Degradation.none());
    EvalSetReport out = EvalSetReport.clean(clean);
    if (conditions.isEmpty()) {
      return out;
    }
    List<EvalReport> reports = new ArrayList<>();
    reports.add(clean);
    List<EvalSetReport.Condition> rows = new ArrayList<>();
    rows.add(EvalSetReport.Condition.of(clean));
    List<float[]> pooledLogits = new ArrayList<>();
    List<Integer> pooledLabels = new ArrayList<>();
    for (Degradation d : conditions) {
      Predictions p = predict(folded, policy, samples, d);
      EvalReport r = Evaluator.summarise(folded, name, p, policy);
      pooledLogits.addAll(List.of(p.logits()));
      for (int label : p.labels()) {
        pooledLabels.add(label);
      }
      reports.add(r);
      rows.add(EvalSetReport.Condition.of(r));
    }
    double pooledEce =
        Calibration.expectedCalibrationError(
            pooledLogits.toArray(new float[0][]),
            pooledLabels.stream().mapToInt(Integer::intValue).toArray(),
            policy.temperature());
    System.out.println("\n" + name + " (" + samples.size() + " images), " + policy);
    System.out.print(table(reports));
    return out.withConditions(seed, rows, pooledEce, targets(reports, pooledEce));
  }

  private EvalReport run(
      FoldedWeights folded, TrustPolicy policy, List<Sample> samples, String name, Degradation d) {
    return Evaluator.summarise(folded, name, predict(folded, policy, samples, d), policy);
  }

  private Predictions predict(
      FoldedWeights folded, TrustPolicy policy, List<Sample> samples, Degradation d) {
    try (ProgressBar bar = new ProgressBar("eval " + d, samples.size())) {
      return Evaluator.predict(folded, samples, d, seed, policy, bar::stepTo);
    }
  }

  static FoldedWeights load(Path weights, String model) throws Exception {
    WeightFile.Loaded loaded;
    if (weights != null) {
      loaded = model == null ? WeightFile.read(weights) : WeightFile.read(weights, model);
    } else {
      try (InputStream in = EvalCommand.class.getResourceAsStream(DEFAULT_MODEL)) {
        if (in == null) {
          throw new IllegalArgumentException(
              "no shipped default model in this build ("
                  + DEFAULT_MODEL
                  + "); pass --weights FILE");
        }
        loaded = WeightFile.read(in, DEFAULT_MODEL);
      }
      if (model != null && !model.equals(loaded.weights().model().name())) {
        throw new IllegalArgumentException(
            "the shipped model is " + loaded.weights().model().name() + ", not " + model);
      }
    }
    return loaded.folded();
  }

  static EvalSetReport.Targets targets(List<EvalReport> reports, double pooledEce) {
    EvalReport clean = reports.get(0);
    double worstAcc = 1;
    double worstClass = 1;
    double worstEce = clean.ece();
    String worstAccAt = "";
    String worstClassAt = "";
    for (EvalReport r : reports.subList(1, reports.size())) {
      if (r.accuracy() < worstAcc) {
        worstAcc = r.accuracy();
        worstAccAt = r.condition();
      }
      if (r.minClassAccuracy() < worstClass) {
        worstClass = r.minClassAccuracy();
        worstClassAt = r.condition();
      }
      worstEce = Math.max(worstEce, r.ece());
    }
    return new EvalSetReport.Targets(
        Target.of(clean.accuracy(), CLEAN_TARGET, true, "clean"),
        Target.of(worstAcc, PERTURBED_TARGET, true, worstAccAt),
        Target.of(worstClass, CLASS_FLOOR, true, worstClassAt),
        Target.of(worstEce, ECE_TARGET, false, "any one condition"),
        Target.of(pooledEce, ECE_TARGET, false, "all perturbed conditions together"));
  }

  static String table(List<EvalReport> reports) {
    StringBuilder sb = new StringBuilder();
    List<String> classes = reports.get(0).classes();
    sb.append("| condition | accuracy | worst class | ECE | untrusted |");
    for (String c : classes) {
      sb.append(' ').append(c).append(" |");
    }
    sb.append("\n|---|---|---|---|---|").append("---|".repeat(classes.size())).append('\n');
    for (EvalReport r : reports) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %.3f | %.2f | %.3f | %.2f |",
              r.condition(),
              r.accuracy(),
              r.minClassAccuracy(),
              r.ece(),
              r.untrustedRate()));
      for (String c : classes) {
        sb.append(String.format(Locale.ROOT, " %.2f |", r.perClassAccuracy().get(c)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
