package io.edgedi.cli;

import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.ModelWeights;
import io.edgedi.inference.weights.WeightFile;
import io.edgedi.training.data.DataSets;
import io.edgedi.training.data.Sample;
import io.edgedi.training.graph.Initializer;
import io.edgedi.training.graph.OptimizerState;
import io.edgedi.training.graph.TrainConfig;
import io.edgedi.training.graph.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a zoo model on NEU-CLS (plus optional synthetic frames) and writes a weight file. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a zoo model on NEU-CLS (+ synthetic frames); checkpoints every epoch.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Zoo model, e.g. vgg16-scar.")
  String model;

  @Option(
      names = "--data",
      description =
          "NEU-CLS folder (DIR/train/<class>, DIR/val/<class>, or one folder "
              + "split 80/20 per class). Required unless --synthetic only is wanted with --no-data.")
  Path data;

  @Option(names = "--no-data", description = "Train on synthetic frames only (needs --synthetic).")
  boolean noData;

  @Option(names = "--epochs", required = true, description = "Total epochs.")
  int epochs;

  @Option(names = "--out", required = true, description = "Weight file to write (.edw).")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of init, shuffling, augmentation (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--synthetic",
      defaultValue = "0",
      description =
          "Synthetic frames added to training (seeds 1000000+); as many again are a held-out synthetic set.")
  int synthetic;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description = "Batch size (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--lr",
      defaultValue = "0.002",
      description = "Peak learning rate (default ${DEFAULT-VALUE}).")
  float lr;

  @Option(
      names = "--weight-decay",
      defaultValue = "0.00005",
      description = "L2 factor (default ${DEFAULT-VALUE}).")
  float weightDecay;

  @Option(names = "--no-augment", description = "Disable flips/turns/brightness/contrast.")
  boolean noAugment;

  @Option(
      names = "--capture-augment",
      defaultValue = "0",
      description =
          "Probability that a training image also gets 1-3 random capture effects (noise, blur, "
              + "JPEG/H.264, exposure, illumination, shift/rotation, dust) up to their training levels "
              + "(default ${DEFAULT-VALUE}).")
  double captureAugment;

  @Option(
      names = "--image-size",
      defaultValue = "200",
      description = "Input side (default ${DEFAULT-VALUE}).")
  int imageSize;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "Use at most this many NEU training images (0 = all).")
  int limit;

  @Option(names = "--resume", description = "Continue from the checkpoint OUT.ckpt.edw.")
  boolean resume;

  @Option(names = "--init", description = "Start from these weights instead of a fresh init.")
  Path init;

  @Option(names = "--float16", description = "Write the final weights as float16.")
  boolean float16;

  @Mixin TfThreads tf;

  @Option(names = "--json", description = "Write the training summary here.")
  Path json;

  @Override
  public Integer call() throws Exception {
    tf.apply();
    ModelSpec spec = ModelZoo.byName(model, imageSize, imageSize);
    int h = spec.inputHeight();
    int w = spec.inputWidth();
    List<Sample> train = new ArrayList<>();
    List<Sample> val = new ArrayList<>();
    String dataDescription = "none";
    if (!noData) {
      DataSets.Split split = DataSets.split(data, h, w, seed);
      train.addAll(limit > 0 ? Limit.perClass(split.train(), limit, seed) : split.train());
      val.addAll(split.val());
      dataDescription = split.description();
    } else if (synthetic <= 0) {
      throw new IllegalArgumentException("--no-data needs --synthetic N > 0");
    }
    List<Sample> heldOut = List.of();
    if (synthetic > 0) {
      train.addAll(DataSets.synthetic(synthetic, 1_000_000L, h, w));
      heldOut = DataSets.synthetic(Math.max(60, synthetic / 4), 9_000_000L, h, w);
    }
    if (val.isEmpty()) {
      val = heldOut;
    }
    System.err.printf(
        Locale.ROOT,
        "train: %s, %d training images (%d synthetic), %d validation; %s%n",
        spec.name(),
        train.size(),
        synthetic,
        val.size(),
        dataDescription);
    Path checkpoint = Trainer.checkpointFile(out);
    ModelWeights start;
    OptimizerState opt = null;
    int done = 0;
    if (resume) {
      Trainer.Checkpoint c = Trainer.Checkpoint.read(checkpoint);
      if (!c.weights().model().equals(spec)) {
        throw new IllegalArgumentException(
            checkpoint + " holds " + c.weights().model() + ", not " + spec);
      }
      start = c.weights();
      opt = c.optimizer();
      done = c.epochsDone();
      System.err.printf("resuming from %s after epoch %d of %d%n", checkpoint, done, epochs);
    } else if (init != null) {
      start = WeightFile.read(init).weights();
    } else {
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("origin", "edgedi train");
      start = new ModelWeights(spec, Initializer.create(spec, seed).tensors(), meta);
    }
    TrainConfig config =
        new TrainConfig(epochs, batch, lr, weightDecay, 0.9f, seed, !noAugment, captureAugment);
    int batches = (train.size() + batch - 1) / batch;
    Trainer.Result result;
    long t0 = System.nanoTime();
    try (ProgressListener listener = new ProgressListener(batches)) {
      result = Trainer.train(start, opt, done, train, val, config, checkpoint, false, listener);
    }
    Map<String, String> meta = new LinkedHashMap<>(result.weights().metadata());
    meta.put("origin", "edgedi train");
    meta.put(
        "command",
        "train --model "
            + model
            + " --epochs "
            + epochs
            + " --seed "
            + seed
            + " --synthetic "
            + synthetic
            + " --batch "
            + batch
            + " --lr "
            + lr);
    ModelWeights fin = new ModelWeights(result.weights().model(), result.weights().tensors(), meta);
    String version =
        WeightFile.write(
            out, fin, float16 ? WeightFile.Precision.FLOAT16 : WeightFile.Precision.FLOAT32);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("model", spec.name());
    summary.put("out", out.toString());
    summary.put("weights", version);
    summary.put("bytes", Files.size(out));
    summary.put("params", ModelCost.params(spec));
    summary.put("macs", ModelCost.macs(spec));
    summary.put("trainImages", train.size());
    summary.put("validationImages", val.size());
    summary.put("epochs", result.history());
    summary.put("seconds", (System.nanoTime() - t0) / 1e9);
    if (json != null) {
      Json.write(json, summary);
    }
    System.out.println(Json.MAPPER.writeValueAsString(summary));
    return 0;
  }

  /** One progress bar per epoch with the running loss; validation accuracy printed per epoch. */
  static final class ProgressListener implements Trainer.Listener, AutoCloseable {
    private final int batches;
    private ProgressBar bar;
    private double lossAvg = Double.NaN;

    ProgressListener(int batches) {
      this.batches = batches;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batchCount) {
      close();
      lossAvg = Double.NaN;
      bar = new ProgressBar("epoch " + epoch + "/" + epochs, batchCount);
    }

    @Override
    public void batchDone(int epoch, int batch, float loss) {
      lossAvg = Double.isNaN(lossAvg) ? loss : 0.9 * lossAvg + 0.1 * loss;
      bar.step();
      bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", lossAvg));
    }

    @Override
    public void epochDone(Trainer.EpochStats s) {
      bar.setExtraMessage(
          String.format(Locale.ROOT, "loss %.4f val %.2f%%", s.trainLoss(), 100 * s.valAccuracy()));
      close();
      System.err.printf(
          Locale.ROOT,
          "epoch %d/%d: loss %.4f, train acc %.2f%%, val acc %.2f%% (%.0f s)%n",
          s.epoch(),
          s.epochs(),
          s.trainLoss(),
          100 * s.trainAccuracy(),
          100 * s.valAccuracy(),
          s.seconds());
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }
}
