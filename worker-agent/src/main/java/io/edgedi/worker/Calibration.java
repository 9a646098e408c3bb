package io.edgedi.worker;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageCuts;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
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
 * What a worker does before it reports ready. It builds and runs once every segment graph of every
 * stage a planner may choose ({@link StageCuts#choices}), so that no tile pays graph construction
 * and TF's first run (seconds on a Pi), and no such cold run is taken for the device's speed by
 * this worker or by the planner learning from its answers. Then the first speed estimate ({@link
 * #measure}).
 */
final class Calibration {
  private static final Logger LOG = LoggerFactory.getLogger(Calibration.class);
  private static final int WHOLE_RUNS = 3;
  private static final int THIN_REPEATS = 5;

  private Calibration() {}

  /** What warming built: segment graphs in the runner afterwards, stage runs it took, wall time. */
  record Warmed(int graphs, int stageRuns, double seconds) {}

  /**
   * Warms every stage a planner may choose ({@link #warm}), then measures the two things the
   * planner prices a band with: the fixed cost of one TF run and the seconds per GFLOP beyond it.
   * Two kinds of run give two equations {@code time = runs x overhead + GFLOP x secondsPerGflop}:
   * the whole model (much work, few runs) and a one-row band of every level's stage (little work,
   * as many runs as segments). Thin bands of the model's own segments carry the per-run cost that
   * split bands really pay (crops, pads, gates), which a run of a single tiny layer understates; an
   * understated overhead makes every thin band look like slow compute.
   */
  static SpeedMeter measure(SliceRunner runner, DevicePace pace) {
    Warmed warmed = warm(runner);
    LOG.info(
        "built and ran {} segment graphs ({} stage runs) of the stages a planner may choose in {} s",
        warmed.graphs(),
        warmed.stageRuns(),
        String.format("%.1f", warmed.seconds()));
    ModelSpec model = runner.weights().model();
    FeatureMap image = ExactnessCheck.randomImage(model, new SplittableRandom(1));
    PartitionedInference inference = new PartitionedInference(runner);
    PartitionPlan whole = PartitionPlan.monolithic(model);
    inference.run(whole, image);
    // The least of several: at start-up every emulated worker warms and compiles at once.
    double wholeSeconds = Double.MAX_VALUE;
    for (int i = 0; i < WHOLE_RUNS; i++) {
      DevicePace.Mark start = pace.mark();
      inference.run(whole, image);
      pace.stretch(start);
      wholeSeconds = Math.min(wholeSeconds, (System.nanoTime() - start.wallNanos()) / 1e9);
    }
    int wholeRuns = Segment.of(model, new Stage(1, model.size())).size();
    double gflop = 2.0 * ModelCost.macs(model) / 1e9;

    List<Integer> levels = StageCuts.choices(model);
    double thinSeconds = Double.MAX_VALUE;
    int thinRuns = 0;
    double thinGflop = 0;
    for (int i = 0; i < THIN_REPEATS; i++) {
      double sum = 0;
      thinRuns = 0;
      thinGflop = 0;
      for (int k = 0; k + 1 < levels.size(); k++) {
        StageGeometry g = topRow(model, new Stage(levels.get(k), levels.get(k + 1)));
        FeatureMap band = zeros(model, g);
        DevicePace.Mark t = pace.mark();
        runBand(runner, g, band);
        pace.stretch(t);
        sum += (System.nanoTime() - t.wallNanos()) / 1e9;
        thinRuns += Segment.of(model, g.stage()).size();
        thinGflop += 2.0 * g.macs(0) / 1e9;
      }
      thinSeconds = Math.min(thinSeconds, sum);
    }
    Fit fit = fit(wholeSeconds, wholeRuns, gflop, thinSeconds, thinRuns, thinGflop);
    LOG.info(
        "calibrated: whole model {} ms in {} runs, one-row bands of {} level stages {} ms in {} runs:"
            + " {} ms per run, {} s/GFLOP beyond it",
        String.format("%.1f", wholeSeconds * 1e3),
        wholeRuns,
        levels.size() - 1,
        String.format("%.1f", thinSeconds * 1e3),
        thinRuns,
        String.format("%.2f", fit.overheadMillis()),
        String.format("%.4f", fit.secondsPerGflop()));
    return new SpeedMeter(fit.secondsPerGflop(), fit.overheadMillis(), gflop);
  }

  /** Per-run overhead (ms) and seconds per GFLOP beyond it. */
  record Fit(double overheadMillis, double secondsPerGflop) {}

  /**
   * Solves {@code t = runs x o + gflop x s} for the two measurements. The overhead is kept within
   * [0, thin time per run] and the compute at no less than a tenth of the whole run, so noise
   * cannot make either negative.
   */
  static Fit fit(
      double wholeSeconds,
      int wholeRuns,
      double gflop,
      double thinSeconds,
      int thinRuns,
      double thinGflop) {
    double f = thinGflop / gflop;
    double denominator = thinRuns - f * wholeRuns;
    double o =
        denominator > 0 ? (thinSeconds - f * wholeSeconds) / denominator : thinSeconds / thinRuns;
    o = Math.max(0, Math.min(o, thinSeconds / thinRuns));
    double s = Math.max(wholeSeconds - wholeRuns * o, 0.1 * wholeSeconds) / gflop;
    return new Fit(o * 1e3, s);
  }

  /** The stage with a one-row band at the top and the rest below (one band if it has one row). */
  private static StageGeometry topRow(ModelSpec model, Stage stage) {
    int rows = model.shape(stage.outputNode()).height();
    return StageGeometry.of(
        model, stage, rows > 1 ? StageGeometry.bandsOf(1, rows - 1) : StageGeometry.bandsOf(1));
  }

  /** Band 0's input rows of the geometry, all zeros. */
  private static FeatureMap zeros(ModelSpec model, StageGeometry g) {
    RowRange in = g.inputRows(0);
    TensorShape shape = model.shape(g.stage().inputNode());
    return new FeatureMap(
        in.start(),
        in.size(),
        shape.width(),
        shape.channels(),
        new float[in.size() * shape.width() * shape.channels()]);
  }

  /**
   * Runs band 0 of the geometry through every segment, computing each gate from its own partial
   * sum.
   */
  private static void runBand(SliceRunner runner, StageGeometry g, FeatureMap band) {
    try (StageRun run = runner.start(g, 0, band)) {
      StageRun.Reduce reduce = run.step(null);
      while (reduce != null) {
        reduce = run.step(reduce.partialSum());
      }
    }
  }

  /**
   * Builds and runs once every segment graph of every stage between two of {@link
   * StageCuts#choices}, unpaced (nothing here is measured). A stage whose segments are all built
   * already is skipped; the others run a one-row band at the top (the cheapest run that takes every
   * segment of the stage: graphs do not depend on band height).
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
      StageGeometry g = topRow(model, stage);
      runBand(runner, g, zeros(model, g));
      built.addAll(segments);
      stageRuns++;
    }
    return new Warmed(runner.cachedGraphs(), stageRuns, (System.nanoTime() - began) / 1e9);
  }
}
