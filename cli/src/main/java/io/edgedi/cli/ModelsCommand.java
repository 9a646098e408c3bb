package io.edgedi.cli;

import io.edgedi.cli.report.ModelsReport;
import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.PartitionPlan;
import io.edgedi.inference.partition.PartitionedInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.RunOverhead;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.inference.weights.WeightFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The model zoo's size and speed: params, MACs, sync points (whole-map reductions + the head),
 * measured single-image time and the fixed cost of one TF run.
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description =
        "List the model zoo with params, MACs, sync points, measured inference time and per-run overhead.")
final class ModelsCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Write the table here as JSON.")
  Path json;

  @Option(
      names = "--runs",
      defaultValue = "7",
      description = "Timed runs per model (median; default ${DEFAULT-VALUE}).")
  int runs;

  @Mixin TfThreads tf;

  @Option(
      names = "--overhead-runs",
      defaultValue = "31",
      description =
          "Timed trunk runs per width for runOverheadMillis (median; ten times as many one-row runs;"
              + " default ${DEFAULT-VALUE}).")
  int overheadRuns;

  @Option(
      names = "--model",
      split = ",",
      description = "Only these models (default: all of the zoo).")
  List<String> only;

  @Option(
      names = "--weights",
      split = ",",
      description =
          "Also these weight files' architectures (e.g. pruned ones), rebuilt at the zoo's input size;"
              + " timed with random weights of that shape, since time does not depend on the values.")
  List<Path> weightFiles;

  @Override
  public Integer call() throws Exception {
    tf.apply();
    System.out.printf(
        "%-15s %12s %14s %6s %10s %12s%n",
        "model", "params", "MACs", "sync", "inferMs", "runOverhead");
    List<ModelSpec> specs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (String name :
        only == null ? (weightFiles == null ? ModelZoo.NAMES : List.<String>of()) : only) {
      specs.add(ModelZoo.byName(name));
      labels.add(name);
    }
    for (Path file : weightFiles == null ? List.<Path>of() : weightFiles) {
      ModelSpec trained = WeightFile.read(file).weights().model();
      // Convolutions and the pooled head do not depend on the input size, so the same layers run
      // on the zoo's 200x200 frames whatever size they were trained at.
      specs.add(
          new ModelSpec(
              trained.name(),
              ModelZoo.IMAGE_SIZE,
              ModelZoo.IMAGE_SIZE,
              trained.classNames(),
              trained.nodes()));
      labels.add(file.getFileName().toString());
    }
    List<ModelsReport.Model> rows = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      ModelSpec m = specs.get(i);
      ModelsReport.Model row = measure(labels.get(i), m);
      rows.add(row);
      System.out.printf(
          "%-15s %12d %14d %6d %10.1f %12.3f%n",
          row.model(),
          row.params(),
          row.macs(),
          row.syncPoints(),
          row.inferMillis(),
          row.runOverheadMillis());
    }
    if (json != null) {
      Json.write(
          json,
          new ModelsReport(
              ModelZoo.IMAGE_SIZE + "x" + ModelZoo.IMAGE_SIZE + "x1", TfRuntime.threads(), rows));
    }
    return 0;
  }

  /**
   * Median wall time of one monolithic image after two warm-up runs (TF's first runs are slow), and
   * the per-run overhead ({@link RunOverhead}).
   */
  private ModelsReport.Model measure(String label, ModelSpec m) {
    FoldedWeights w = FoldedWeights.fold(RandomWeights.create(m, 1), "random-1");
    FeatureMap image = ExactnessCheck.randomImage(m, new SplittableRandom(1));
    PartitionPlan plan = PartitionPlan.monolithic(m);
    double inferMillis;
    try (SliceRunner runner = new SliceRunner(w)) {
      inferMillis = medianMillis(runner, plan, image);
    }
    RunOverhead.Measurement o = RunOverhead.measure(m, overheadRuns);
    return new ModelsReport.Model(
        label,
        ModelCost.params(m),
        ModelCost.macs(m),
        ModelCost.syncPoints(m),
        m.size(),
        m.cutPoints().size(),
        inferMillis,
        o.runsPerTrunk(),
        round3(o.perRunMillis()),
        new ModelsReport.TrunkMillis(round3(o.narrowTrunkMillis()), round3(o.wideTrunkMillis())),
        round3(o.oneRowMillis()),
        o.oneRowStage().toString());
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private double medianMillis(SliceRunner runner, PartitionPlan plan, FeatureMap image) {
    PartitionedInference inference = new PartitionedInference(runner);
    inference.run(plan, image);
    inference.run(plan, image);
    double[] t = new double[Math.max(1, runs)];
    for (int i = 0; i < t.length; i++) {
      long start = System.nanoTime();
      inference.run(plan, image);
      t[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(t);
    return Math.round(t[t.length / 2] * 10) / 10.0;
  }
}
