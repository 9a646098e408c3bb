package io.edgedi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageCuts;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.runtime.StageRun;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Warming before ready: no stage a planner may choose builds a graph when its tiles come. */
class CalibrationTest {
  @Test
  void afterWarmingNoChoosableStageBuildsAGraph() {
    for (String name : List.of("vgg16-scar", "vgg13")) {
      ModelSpec model = ModelZoo.byName(name, 40, 40);
      FoldedWeights weights = FoldedWeights.fold(RandomWeights.create(model, 2), "random-2");
      try (SliceRunner runner = new SliceRunner(weights)) {
        Calibration.Warmed warmed = Calibration.warm(runner);
        assertTrue(warmed.graphs() > 0 && warmed.stageRuns() > 0, name + ": " + warmed);
        Random rnd = new Random(4);
        List<Stage> stages = StageCuts.stagesBetween(StageCuts.choices(model));
        for (int trial = 0; trial < 8; trial++) {
          Stage stage = stages.get(rnd.nextInt(stages.size()));
          int rows = model.shape(stage.outputNode()).height();
          int cut = rows > 1 ? 1 + rnd.nextInt(rows - 1) : 1;
          List<RowRange> bands =
              rows > 1
                  ? List.of(new RowRange(0, cut), new RowRange(cut, rows))
                  : List.of(new RowRange(0, 1));
          int band = rnd.nextInt(bands.size());
          runBand(runner, StageGeometry.of(model, stage, bands), band);
          assertEquals(
              warmed.graphs(),
              runner.cachedGraphs(),
              name + " stage " + stage + " band " + band + " built a graph after warming");
        }
        // And a stage outside the choices would have: the test can tell.
        List<Integer> all = model.cutPoints();
        List<Integer> chosen = StageCuts.choices(model);
        for (int i = 1; i + 1 < all.size(); i++) {
          if (!chosen.contains(all.get(i))) {
            Stage outside = new Stage(1, all.get(i));
            runBand(
                runner,
                StageGeometry.of(
                    model,
                    outside,
                    List.of(new RowRange(0, model.shape(outside.outputNode()).height()))),
                0);
            assertTrue(
                runner.cachedGraphs() > warmed.graphs(), name + ": stage " + outside + " was warm");
            break;
          }
        }
      }
    }
  }

  @Test
  void theFitSeparatesPerRunOverheadFromCompute() {
    // 2 ms per run and 0.2 s/GFLOP: a whole frame of 1.22 GFLOP in 14 runs, thin bands of 0.05
    // GFLOP in 19.
    Calibration.Fit fit =
        Calibration.fit(14 * 0.002 + 1.22 * 0.2, 14, 1.22, 19 * 0.002 + 0.05 * 0.2, 19, 0.05);
    assertEquals(2.0, fit.overheadMillis(), 1e-9);
    assertEquals(0.2, fit.secondsPerGflop(), 1e-9);
    // Noise that would make the overhead negative keeps it at zero and the compute whole.
    Calibration.Fit noisy = Calibration.fit(0.3, 14, 1.22, 0.001, 19, 0.05);
    assertEquals(0.0, noisy.overheadMillis());
    assertEquals(0.3 / 1.22, noisy.secondsPerGflop(), 1e-9);
  }

  private static void runBand(SliceRunner runner, StageGeometry g, int band) {
    ModelSpec model = g.model();
    RowRange in = g.inputRows(band);
    TensorShape shape = model.shape(g.stage().inputNode());
    FeatureMap input =
        new FeatureMap(
            in.start(),
            in.size(),
            shape.width(),
            shape.channels(),
            new float[in.size() * shape.width() * shape.channels()]);
    try (StageRun run = runner.start(g, band, input)) {
      StageRun.Reduce reduce = run.step(null);
      while (reduce != null) {
        reduce = run.step(reduce.partialSum());
      }
    }
  }
}
