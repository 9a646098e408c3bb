package io.edgedi.cli;

import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.weights.ModelWeights;
import io.edgedi.inference.weights.WeightFile;
import io.edgedi.training.data.DataSets;
import io.edgedi.training.data.Sample;
import io.edgedi.training.eval.Evaluator;
import io.edgedi.training.graph.TrainConfig;
import io.edgedi.training.graph.Trainer;
import io.edgedi.training.prune.FilterPruner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** l1-norm filter pruning plus fine-tuning; the smaller model's spec travels in its weight file. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description =
        "Prune conv filters by l1 norm (layer by layer), fine-tune, write the smaller model.")
final class PruneCommand implements Callable<Integer> {
  @Option(names = "--model", description = "Expected model name of the weight file (checked).")
  String model;

  @Option(names = "--weights", required = true, description = "Trained weight file to prune.")
  Path weights;

  @Option(names = "--data", description = "NEU-CLS folder for fine-tuning and validation.")
  Path data;

  @Option(names = "--out", required = true, description = "Weight file of the pruned model.")
  Path out;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Goal goal;

  static final class Goal {
    @Option(
        names = "--target-macs-ratio",
        description = "Prune until MACs <= R x the original's (0 < R <= 1).")
    Double macsRatio;

    @Option(
        names = "--max-accuracy-drop",
        description =
            "Prune in rounds while validation accuracy stays within D "
                + "(a fraction, e.g. 0.005) of the unpruned model's.")
    Double maxDrop;
  }

  @Option(
      names = "--step",
      defaultValue = "0.2",
      description =
          "Fraction of the remaining filters dropped per round "
              + "with --max-accuracy-drop (default ${DEFAULT-VALUE}).")
  double step;

  @Option(
      names = "--max-rounds",
      defaultValue = "6",
      description = "Rounds with --max-accuracy-drop (default ${DEFAULT-VALUE}).")
  int maxRounds;

  @Option(
      names = "--finetune-epochs",
      defaultValue = "3",
      description = "Fine-tuning epochs per pruning (default ${DEFAULT-VALUE}).")
  int finetuneEpochs;

  @Option(
      names = "--lr",
      defaultValue = "0.0005",
      description = "Fine-tuning learning rate (default ${DEFAULT-VALUE}).")
  float lr;

  @Option(
      names = "--synthetic",
      defaultValue = "0",
      description = "Synthetic frames added to fine-tuning.")
  int synthetic;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "Use at most this many NEU training images (0 = all).")
  int limit;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--float16", description = "Write float16 weights.")
  boolean float16;

  @Mixin TfThreads tf;

  @Option(names = "--json", description = "Write the summary here.")
  Path json;

  @Override
  public Integer call() throws Exception {
    tf.apply();
    ModelWeights original =
        (model == null ? WeightFile.read(weights) : WeightFile.read(weights, model)).weights();
    ModelSpec spec = original.model();
    DataSets.Split split = DataSets.split(data, spec.inputHeight(), spec.inputWidth(), seed);
    List<Sample> train =
        new ArrayList<>(limit > 0 ? Limit.perClass(split.train(), limit, seed) : split.train());
    if (synthetic > 0) {
      train.addAll(
          DataSets.synthetic(synthetic, 1_000_000L, spec.inputHeight(), spec.inputWidth()));
    }
    List<Sample> val = split.val();
    double baseline = accuracy(original, val);
    System.err.printf(
        Locale.ROOT,
        "prune: %s, baseline val accuracy %.2f%% on %d images, MACs %d%n",
        spec.name(),
        100 * baseline,
        val.size(),
        ModelCost.macs(spec));
    TrainConfig config = new TrainConfig(finetuneEpochs, 16, lr, 5e-5f, 0.9f, seed, true, 0);
    ModelWeights result;
    double resultAccuracy;
    List<Map<String, Object>> rounds = new ArrayList<>();
    if (goal.macsRatio != null) {
      double fraction = FilterPruner.fractionForMacsRatio(spec, goal.macsRatio);
      result = fineTune(FilterPruner.pruneFraction(original, fraction), train, val, config);
      resultAccuracy = accuracy(result, val);
      rounds.add(round(1, fraction, result, resultAccuracy));
    } else {
      if (!(goal.maxDrop >= 0) || !(step > 0 && step < 1)) {
        throw new IllegalArgumentException("--max-accuracy-drop must be >= 0 and --step in (0, 1)");
      }
      result = original;
      resultAccuracy = baseline;
      ModelWeights current = original;
      for (int r = 1; r <= maxRounds; r++) {
        ModelWeights candidate =
            fineTune(FilterPruner.pruneFraction(current, step), train, val, config);
        double acc = accuracy(candidate, val);
        rounds.add(round(r, step, candidate, acc));
        System.err.printf(
            Locale.ROOT,
            "round %d: MACs %d, val accuracy %.2f%%%n",
            r,
            ModelCost.macs(candidate.model()),
            100 * acc);
        if (acc < baseline - goal.maxDrop) {
          break;
        }
        result = candidate;
        resultAccuracy = acc;
        current = candidate;
      }
      if (result == original) {
        System.err.println(
            "prune: even one round lost more than the allowed accuracy; writing the unpruned model");
      }
    }
    Map<String, String> meta = new LinkedHashMap<>(result.metadata());
    meta.put("origin", "edgedi prune of " + weights.getFileName());
    meta.put("valAccuracy", String.format(Locale.ROOT, "%.4f", resultAccuracy));
    ModelWeights fin = new ModelWeights(result.model(), result.tensors(), meta);
    String version =
        WeightFile.write(
            out, fin, float16 ? WeightFile.Precision.FLOAT16 : WeightFile.Precision.FLOAT32);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("model", spec.name());
    summary.put("out", out.toString());
    summary.put("weights", version);
    summary.put("bytes", Files.size(out));
    summary.put("baselineAccuracy", baseline);
    summary.put("accuracy", resultAccuracy);
    summary.put("accuracyDrop", baseline - resultAccuracy);
    summary.put("macsBefore", ModelCost.macs(spec));
    summary.put("macsAfter", ModelCost.macs(fin.model()));
    summary.put("macsRatio", (double) ModelCost.macs(fin.model()) / ModelCost.macs(spec));
    summary.put("paramsBefore", ModelCost.params(spec));
    summary.put("paramsAfter", ModelCost.params(fin.model()));
    summary.put("rounds", rounds);
    if (json != null) {
      Json.write(json, summary);
    }
    System.out.println(Json.MAPPER.writeValueAsString(summary));
    return 0;
  }

  private ModelWeights fineTune(
      ModelWeights pruned, List<Sample> train, List<Sample> val, TrainConfig config)
      throws java.io.IOException {
    try (TrainCommand.ProgressListener listener = new TrainCommand.ProgressListener(0)) {
      return Trainer.train(pruned, null, 0, train, val, config, null, true, listener).weights();
    }
  }

  private static double accuracy(ModelWeights w, List<Sample> val) {
    return Evaluator.evaluate(
            io.edgedi.inference.weights.FoldedWeights.fold(w, "candidate"), val, "val", null)
        .accuracy();
  }

  private static Map<String, Object> round(int r, double fraction, ModelWeights w, double acc) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("round", r);
    m.put("fraction", fraction);
    m.put("macs", ModelCost.macs(w.model()));
    m.put("params", ModelCost.params(w.model()));
    m.put("accuracy", acc);
    return m;
  }
}
