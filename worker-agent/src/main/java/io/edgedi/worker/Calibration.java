package io.edgedi.worker;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.PartitionPlan;
import io.edgedi.inference.partition.PartitionedInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.runtime.StageRun;
import java.util.SplittableRandom;

/**
 * A first speed estimate before any tile arrives: the whole model once on a random image (after
 * a warm-up run: TF's first run is slow), and the fixed cost of one run from a one-row band of
 * the first node, which is nearly all overhead.
 */
final class Calibration {
  private Calibration() {}

  static SpeedMeter measure(SliceRunner runner, DevicePace pace) {
    ModelSpec model = runner.weights().model();
    FeatureMap image = ExactnessCheck.randomImage(model, new SplittableRandom(1));
    PartitionedInference inference = new PartitionedInference(runner);
    PartitionPlan whole = PartitionPlan.monolithic(model);
    inference.run(whole, image);
    DevicePace.Mark start = pace.mark();
    inference.run(whole, image);
    pace.stretch(start);
    double seconds = (System.nanoTime() - start.wallNanos()) / 1e9;

    int rows = model.shape(1).height();
    StageGeometry g = StageGeometry.of(model, new Stage(1, 2), StageGeometry.bandsOf(1, rows - 1));
    FeatureMap band = image.slice(g.inputRows(0));
    double overheadMillis = Double.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      DevicePace.Mark t = pace.mark();
      try (StageRun run = runner.start(g, 0, band)) {
        while (!run.done()) {
          run.step(null);
        }
      }
      pace.stretch(t);
      overheadMillis = Math.min(overheadMillis, (System.nanoTime() - t.wallNanos()) / 1e6);
    }
    double gflop = 2.0 * ModelCost.macs(model) / 1e9;
    return new SpeedMeter(seconds / gflop, overheadMillis, gflop);
  }
}
