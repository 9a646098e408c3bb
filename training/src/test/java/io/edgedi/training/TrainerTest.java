package io.edgedi.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.ModelWeights;
import io.edgedi.inference.weights.NamedTensor;
import io.edgedi.training.data.DataSets;
import io.edgedi.training.data.Sample;
import io.edgedi.training.eval.EvalReport;
import io.edgedi.training.eval.Evaluator;
import io.edgedi.training.graph.Initializer;
import io.edgedi.training.graph.TrainConfig;
import io.edgedi.training.graph.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir Path dir;

  /** A run stopped after epoch 1 and resumed equals an uninterrupted 2-epoch run. */
  @Test
  void resumeContinuesEpochCountAndMatchesUninterruptedRun() throws Exception {
    ModelSpec spec = ModelZoo.byName("vgg13-scar", 32, 32);
    List<Sample> train = DataSets.synthetic(24, 50, 32, 32);
    List<Sample> val = DataSets.synthetic(12, 500, 32, 32);
    TrainConfig config = new TrainConfig(2, 8, 2e-3f, 1e-4f, 0.9f, 3, true, 0);
    ModelWeights init = Initializer.create(spec, 3);
    Trainer.Result straight =
        Trainer.train(init, null, 0, train, val, config, null, false, new Trainer.Listener() {});

    Path ckpt = Trainer.checkpointFile(dir.resolve("m.edw"));
    // Killed after epoch 1: the checkpoint is written before the listener hears of the epoch.
    assertThrows(
        StopHere.class,
        () ->
            Trainer.train(
                init,
                null,
                0,
                train,
                val,
                config,
                ckpt,
                false,
                new Trainer.Listener() {
                  @Override
                  public void epochDone(Trainer.EpochStats s) {
                    throw new StopHere();
                  }
                }));
    Trainer.Checkpoint c = Trainer.Checkpoint.read(ckpt);
    assertEquals(1, c.epochsDone());
    assertEquals(3, c.optimizer().step());
    Trainer.Result resumed =
        Trainer.train(
            c.weights(),
            c.optimizer(),
            c.epochsDone(),
            train,
            val,
            config,
            ckpt,
            false,
            new Trainer.Listener() {});
    assertEquals(1, resumed.history().size());
    assertEquals(2, resumed.history().get(0).epoch());
    assertEquals("2", Trainer.Checkpoint.read(ckpt).weights().metadata().get(Trainer.EPOCH));
    double max = 0;
    for (NamedTensor t : straight.weights().tensors()) {
      float[] a = t.values();
      float[] b = resumed.weights().values(t.name());
      for (int i = 0; i < a.length; i++) {
        max = Math.max(max, Math.abs(a[i] - b[i]));
      }
    }
    assertTrue(max < 1e-4, "resumed run differs from uninterrupted by " + max);
  }

  static final class StopHere extends RuntimeException {}

  @Test
  void evalReportHasAccuracyConfusionAndCost() {
    ModelSpec spec = ModelZoo.byName("resnet18-scar", 32, 32);
    List<Sample> samples = DataSets.synthetic(12, 77, 32, 32);
    EvalReport r =
        Evaluator.evaluate(
            FoldedWeights.fold(Initializer.create(spec, 1), "init"), samples, "synthetic", null);
    assertEquals(12, r.images());
    assertEquals(6, r.perClassAccuracy().size());
    assertEquals(12, Arrays.stream(r.confusion()).flatMapToInt(Arrays::stream).sum());
    assertTrue(r.accuracy() >= 0 && r.accuracy() <= 1);
    assertTrue(r.params() > 0 && r.macs() > 0 && r.inferMillis() > 0);
  }
}
