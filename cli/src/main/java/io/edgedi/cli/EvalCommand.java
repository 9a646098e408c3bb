package io.edgedi.cli;

import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.WeightFile;
import io.edgedi.training.data.DataSets;
import io.edgedi.training.data.Sample;
import io.edgedi.training.eval.EvalReport;
import io.edgedi.training.eval.Evaluator;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Accuracy, confusion matrix and cost of a weight file, measured through the deployment runtime. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate weights on NEU-CLS (DIR/val if present, else all of DIR) through the deployment runtime.")
final class EvalCommand implements Callable<Integer> {
  /** Class-path resource of the shipped default model. */
  static final String DEFAULT_MODEL = "/models/default.edw";

  @Option(names = "--model", description = "Expected model name of the weight file (checked).")
  String model;

  @Option(names = "--weights", description = "Weight file; default: the shipped model " + DEFAULT_MODEL + ".")
  Path weights;

  @Option(names = "--data", description = "NEU-CLS folder (required unless --synthetic only with --no-data).")
  Path data;

  @Option(names = "--no-data", description = "Evaluate on synthetic frames only.")
  boolean noData;

  @Option(names = "--synthetic", defaultValue = "0",
      description = "Also evaluate N held-out synthetic frames (seeds 9000000+, never trained on).")
  int synthetic;

  @Option(names = "--threads", defaultValue = "1", description = "TF intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--json", description = "Write the report here.")
  Path json;

  @Override
  public Integer call() throws Exception {
    TfRuntime.useThreads(threads);
    WeightFile.Loaded loaded;
    if (weights != null) {
      loaded = model == null ? WeightFile.read(weights) : WeightFile.read(weights, model);
    } else {
      try (InputStream in = EvalCommand.class.getResourceAsStream(DEFAULT_MODEL)) {
        if (in == null) {
          throw new IllegalArgumentException("no shipped default model in this build (" + DEFAULT_MODEL
              + "); pass --weights FILE");
        }
        loaded = WeightFile.read(in, DEFAULT_MODEL);
      }
      if (model != null && !model.equals(loaded.weights().model().name())) {
        throw new IllegalArgumentException("the shipped model is " + loaded.weights().model().name()
            + ", not " + model);
      }
    }
    FoldedWeights folded = loaded.folded();
    int h = folded.model().inputHeight();
    int w = folded.model().inputWidth();
    Map<String, Object> out = new LinkedHashMap<>();
    if (!noData) {
      List<Sample> samples = DataSets.evaluationSet(data, h, w);
      EvalReport r = run(folded, samples, data.toString());
      out.putAll(asMap(r));
    } else if (synthetic <= 0) {
      throw new IllegalArgumentException("--no-data needs --synthetic N > 0");
    }
    if (synthetic > 0) {
      EvalReport s = run(folded, DataSets.synthetic(synthetic, 9_000_000L, h, w), "synthetic held-out");
      if (noData) {
        out.putAll(asMap(s));
      } else {
        out.put("synthetic", asMap(s));
      }
    }
    if (json != null) {
      Json.write(json, out);
    }
    System.out.println(Json.MAPPER.writeValueAsString(out));
    return 0;
  }

  private static EvalReport run(FoldedWeights folded, List<Sample> samples, String name) {
    try (ProgressBar bar = new ProgressBar("eval " + name, samples.size())) {
      return Evaluator.evaluate(folded, samples, name, bar::stepTo);
    }
  }

  static Map<String, Object> asMap(EvalReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", r.model());
    m.put("weights", r.weights());
    m.put("data", r.data());
    m.put("images", r.images());
    m.put("accuracy", r.accuracy());
    m.put("perClassAccuracy", r.perClassAccuracy());
    m.put("classes", r.classes());
    m.put("confusionMatrix", r.confusion());
    m.put("params", r.params());
    m.put("macs", r.macs());
    m.put("inferMillis", r.inferMillis());
    m.put("threads", r.threads());
    return m;
  }
}
