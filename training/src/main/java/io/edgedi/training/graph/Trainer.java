package io.edgedi.training.graph;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.weights.ModelWeights;
import io.edgedi.inference.weights.WeightFile;
import io.edgedi.training.data.Augmenter;
import io.edgedi.training.data.Sample;
import io.edgedi.training.data.Shuffle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The epoch loop: seeded shuffling and augmentation, Adam steps, validation through the inference
 * pass after every epoch, and a checkpoint (weight file + optimizer state) after every epoch so
 * that a run can resume where it stopped with the same data order it would have seen.
 */
public final class Trainer {
  /** Metadata keys of a checkpoint's weight file. */
  public static final String EPOCH = "epoch";

  public static final String EPOCHS = "epochs";
  public static final String SEED = "seed";

  private Trainer() {}

  /** Progress callbacks (the CLI draws a progress bar). */
  public interface Listener {
    default void epochStarted(int epoch, int epochs, int batches) {}

    default void batchDone(int epoch, int batch, float loss) {}

    default void epochDone(EpochStats stats) {}
  }

  /** What one epoch achieved. {@code epoch} counts from 1. */
  public record EpochStats(
      int epoch,
      int epochs,
      double trainLoss,
      double trainAccuracy,
      double valAccuracy,
      double seconds) {}

  /** Final weights and the history of this run (resumed epochs only). */
  public record Result(ModelWeights weights, List<EpochStats> history) {}

  /** Where a run's checkpoint lives, given its output file. */
  public static Path checkpointFile(Path out) {
    return out.resolveSibling(out.getFileName() + ".ckpt.edw");
  }

  public static Path optimizerFile(Path checkpoint) {
    return checkpoint.resolveSibling(checkpoint.getFileName() + ".opt");
  }

  /** A checkpoint to resume from. */
  public record Checkpoint(ModelWeights weights, OptimizerState optimizer, int epochsDone) {
    public static Checkpoint read(Path file) throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new IOException("no checkpoint at " + file + " to resume from");
      }
      ModelWeights w = WeightFile.read(file).weights();
      String done = w.metadata().get(EPOCH);
      if (done == null) {
        throw new IOException(file + " is a weight file but not a training checkpoint (no epoch)");
      }
      Path opt = optimizerFile(file);
      OptimizerState state = Files.isRegularFile(opt) ? OptimizerState.read(opt) : null;
      return new Checkpoint(w, state, Integer.parseInt(done));
    }
  }

  /**
   * Trains from {@code start} (epochs {@code epochsDone+1 .. config.epochs()}).
   *
   * @param checkpoint where to write a checkpoint after each epoch, or null
   * @param recalibrate re-estimate BatchNorm statistics on a few training batches first (after
   *     pruning the old statistics no longer fit)
   */
  public static Result train(
      ModelWeights start,
      OptimizerState optimizer,
      int epochsDone,
      List<Sample> train,
      List<Sample> val,
      TrainConfig config,
      Path checkpoint,
      boolean recalibrate,
      Listener listener)
      throws IOException {
    ModelSpec model = start.model();
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no training images");
    }
    Augmenter aug =
        config.augment() ? Augmenter.standard(config.captureAugment()) : Augmenter.none();
    int pixels = model.inputHeight() * model.inputWidth();
    int batches = (train.size() + config.batchSize() - 1) / config.batchSize();
    long totalSteps = (long) batches * config.epochs();
    List<EpochStats> history = new ArrayList<>();
    Map<String, String> meta = new LinkedHashMap<>(start.metadata());
    try (TrainingGraph g = new TrainingGraph(start, optimizer)) {
      if (recalibrate) {
        List<float[]> calib = new ArrayList<>();
        int[] perm = Shuffle.permutation(train.size(), config.seed() ^ 0xCA11B, 0);
        for (int b = 0; b < Math.min(batches, 8); b++) {
          calib.add(
              batch(
                  train,
                  perm,
                  b,
                  config.batchSize(),
                  Augmenter.none(),
                  config.seed(),
                  0,
                  pixels,
                  new int[Math.min(config.batchSize(), train.size() - b * config.batchSize())]));
        }
        g.recalibrateBatchNorm(calib, config.batchSize());
      }
      for (int epoch = epochsDone + 1; epoch <= config.epochs(); epoch++) {
        long t0 = System.nanoTime();
        listener.epochStarted(epoch, config.epochs(), batches);
        int[] perm = Shuffle.permutation(train.size(), config.seed(), epoch);
        double lossSum = 0;
        long correct = 0;
        for (int b = 0; b < batches; b++) {
          int n = Math.min(config.batchSize(), train.size() - b * config.batchSize());
          int[] labels = new int[n];
          float[] x =
              batch(train, perm, b, config.batchSize(), aug, config.seed(), epoch, pixels, labels);
          long globalStep = (long) (epoch - 1) * batches + b;
          TrainingGraph.StepResult r =
              g.trainStep(
                  x,
                  labels,
                  config.learningRateAt(globalStep, totalSteps),
                  config.weightDecay(),
                  config.bnMomentum());
          if (!Float.isFinite(r.loss())) {
            throw new IllegalStateException(
                "loss became "
                    + r.loss()
                    + " at epoch "
                    + epoch
                    + ", batch "
                    + b
                    + ": lower the learning rate");
          }
          lossSum += r.loss() * n;
          correct += r.correct();
          listener.batchDone(epoch, b, r.loss());
        }
        double valAcc = val.isEmpty() ? Double.NaN : accuracy(g, val);
        EpochStats s =
            new EpochStats(
                epoch,
                config.epochs(),
                lossSum / train.size(),
                (double) correct / train.size(),
                valAcc,
                (System.nanoTime() - t0) / 1e9);
        history.add(s);
        meta.put(EPOCH, Integer.toString(epoch));
        meta.put(EPOCHS, Integer.toString(config.epochs()));
        meta.put(SEED, Long.toString(config.seed()));
        meta.put("valAccuracy", String.format(java.util.Locale.ROOT, "%.4f", valAcc));
        meta.put("trainLoss", String.format(java.util.Locale.ROOT, "%.4f", s.trainLoss()));
        if (checkpoint != null) {
          WeightFile.write(checkpoint, g.export(meta), WeightFile.Precision.FLOAT32);
          g.optimizerState().write(optimizerFile(checkpoint));
        }
        listener.epochDone(s);
      }
      return new Result(g.export(meta), history);
    }
  }

  /** Top-1 accuracy of the inference pass (moving BatchNorm statistics) on {@code samples}. */
  public static double accuracy(TrainingGraph g, List<Sample> samples) {
    int[] predicted = predict(g, samples);
    int ok = 0;
    for (int i = 0; i < samples.size(); i++) {
      if (predicted[i] == samples.get(i).label()) {
        ok++;
      }
    }
    return (double) ok / samples.size();
  }

  /** Predicted classes of the inference pass, in batches of 16. */
  public static int[] predict(TrainingGraph g, List<Sample> samples) {
    int classes = g.model().classes();
    int[] out = new int[samples.size()];
    int pixels = g.model().inputHeight() * g.model().inputWidth();
    for (int from = 0; from < samples.size(); from += 16) {
      int n = Math.min(16, samples.size() - from);
      float[] x = new float[n * pixels];
      for (int i = 0; i < n; i++) {
        System.arraycopy(samples.get(from + i).toInput(), 0, x, i * pixels, pixels);
      }
      float[] logits = g.predict(x, n);
      for (int i = 0; i < n; i++) {
        out[from + i] = TrainingGraph.argmax(logits, i * classes, classes);
      }
    }
    return out;
  }

  private static float[] batch(
      List<Sample> train,
      int[] perm,
      int b,
      int batchSize,
      Augmenter aug,
      long seed,
      int epoch,
      int pixels,
      int[] labels) {
    float[] x = new float[labels.length * pixels];
    for (int i = 0; i < labels.length; i++) {
      int index = perm[b * batchSize + i];
      Sample s = train.get(index);
      labels[i] = s.label();
      aug.apply(s, seed, epoch, index, x, i * pixels);
    }
    return x;
  }
}
