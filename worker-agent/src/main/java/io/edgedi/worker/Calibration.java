package io.edgedi.worker;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageCuts;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.partition.AttentionGate;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.PartitionPlan;
import io.edgedi.inference.partition.PartitionedInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.Segment;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.runtime.StageRun;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does before it reports ready. It builds and runs once every segment graph of
 * every stage a planner may choose ({@link StageCuts#choices}), so that no tile pays graph
 * construction and TF's first run (seconds on a Pi), and no such cold run is taken for the
 * device's speed by this worker or by the planner learning from its answers. Then the first
 * speed estimate: the whole model once on a random image, and the fixed cost of one run from a
 * one-row band of the first node, which is nearly all overhead.
 */
final class Calibration {
  private static final Logger LOG = LoggerFactory.getLogger(Calibration.class);

  private Calibration() {}

  private static final int OVERHEAD_RUNS = 16;

  /** What warming built: segment graphs in the runner afterwards, stage runs it took, wall time. */
  record Warmed(int graphs, int stageRuns, double seconds) {}

  /** Warms every stage a planner may choose ({@link #warm}), then measures. */
  static SpeedMeter measure(SliceRunner runner, DevicePace pace) {
    Warmed warmed = warm(runner);
    LOG.info("built and ran {} segment graphs ({} stage runs) of the stages a planner may choose in {} s",
        warmed.graphs(), warmed.stageRuns(), String.format("%.1f", warmed.seconds()));
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
    // The least of many: at start-up every emulated worker warms and compiles at once, and a run
    // this short moves with whatever else shares the core.
    double overheadMillis = Double.MAX_VALUE;
    for (int i = 0; i < OVERHEAD_RUNS; i++) {
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

  /**
   * Builds and runs once every segment graph of every stage between two of
   * {@link StageCuts#choices}, unpaced (nothing here is measured). A stage whose segments are all
   * built already is skipped; the others run a one-row band at the top (the cheapest run that
   * takes every segment of the stage: graphs do not depend on band height).
   */
  static Warmed warm(SliceRunner runner) {
    long began = System.nanoTime();
    ModelSpec model = runner.weights().model();
    Set<Segment> built = new HashSet<>();
    int stageRuns = 0;
    for (Stage stage : StageCuts.stagesBetween(StageCuts.choices(model))) {
      List<Segment> segments = Segment.of(model, stage);
      if (built.containsAll(segments)) {
        continue;
      }
      int rows = model.shape(stage.outputNode()).height();
      List<RowRange> bands = rows > 1 ? StageGeometry.bandsOf(1, rows - 1) : StageGeometry.bandsOf(1);
      StageGeometry g = StageGeometry.of(model, stage, bands);
      RowRange in = g.inputRows(0);
      TensorShape shape = model.shape(stage.inputNode());
      FeatureMap band = new FeatureMap(in.start(), in.size(), shape.width(), shape.channels(),
          new float[in.size() * shape.width() * shape.channels()]);
      try (StageRun run = runner.start(g, 0, band)) {
        StageRun.Reduce reduce = run.step(null);
        while (reduce != null) {
          reduce = run.step(AttentionGate.compute(runner.weights(), reduce.attentionNode(),
              List.of(reduce.partialSum())));
        }
      }
      built.addAll(segments);
      stageRuns++;
    }
    return new Warmed(runner.cachedGraphs(), stageRuns, (System.nanoTime() - began) / 1e9);
  }
}
