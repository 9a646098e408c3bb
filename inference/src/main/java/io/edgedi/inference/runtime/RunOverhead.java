package io.edgedi.inference.runtime;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * The fixed cost of a TF run, measured two ways at full speed, in CPU time of the calling thread
 * (with one TF thread every op runs on it, see {@link TfRuntime}; wall time on this shared machine
 * moved by 2x between identical runs).
 *
 * <p>{@code perRunMillis}: the model's whole trunk as one one-band stage (every segment, every
 * pause) on 32-row maps of width 32 and of width 64, interleaved; compute grows with the width, the
 * fixed part does not, so {@code 2 t(32) - t(64)} is the fixed cost of all its runs, divided by
 * their count. This is the overhead of the model's own segments, the small ops each node adds
 * included: what the planner charges per run.
 *
 * <p>{@code oneRowMillis}: a one-row band of the model's cheapest stage (a max pooling in every zoo
 * model, nearly no arithmetic) started, run, read out and closed: the floor of one run, what a
 * worker's calibration takes as its overhead.
 */
public final class RunOverhead {
  static final int NARROW = 32;
  static final int WIDE = 64;
  static final int HEIGHT = 32;
  private static final int WARM_UP_TRUNKS = 20;
  private static final int WARM_UP_ONE_ROW = 5000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private RunOverhead() {}

  public record Measurement(
      int runsPerTrunk,
      double perRunMillis,
      double narrowTrunkMillis,
      double wideTrunkMillis,
      Stage oneRowStage,
      double oneRowMillis) {}

  /**
   * @param repeats timed trunk runs per width, and ten times as many one-row runs
   */
  public static Measurement measure(ModelSpec model, int repeats) {
    // The one-row runs go first: they are cheap and bring the Java side of a run (StageRun,
    // SegmentGraph, TF Java's runner) to the JIT's last tier before the trunks are timed. With a
    // few hundred warm-up runs only, the first two models of a list paid up to 3x the one-row
    // cost of the later ones.
    StageGeometry cheap = cheapestOneRowBand(model);
    double oneRow;
    try (SliceRunner r = runner(model)) {
      oneRow = oneRowMillis(r, cheap, 10 * Math.max(1, repeats));
    }
    ModelSpec narrow = resized(model, HEIGHT, NARROW);
    ModelSpec wide = resized(model, HEIGHT, WIDE);
    double[] narrowMillis = new double[Math.max(1, repeats)];
    double[] wideMillis = new double[narrowMillis.length];
    try (SliceRunner a = runner(narrow);
        SliceRunner b = runner(wide)) {
      FeatureMap imageA = image(narrow);
      FeatureMap imageB = image(wide);
      for (int i = -WARM_UP_TRUNKS; i < narrowMillis.length; i++) {
        double ta = trunkMillis(a, imageA);
        double tb = trunkMillis(b, imageB);
        if (i >= 0) {
          narrowMillis[i] = ta;
          wideMillis[i] = tb;
        }
      }
    }
    double tn = median(narrowMillis);
    double tw = median(wideMillis);
    int runs = Segment.runs(model, new Stage(1, model.size()));
    return new Measurement(runs, (2 * tn - tw) / runs, tn, tw, cheap.stage(), oneRow);
  }

  private static ModelSpec resized(ModelSpec m, int h, int w) {
    return new ModelSpec(m.name(), h, w, m.classNames(), m.nodes());
  }

  private static SliceRunner runner(ModelSpec m) {
    return new SliceRunner(FoldedWeights.fold(RandomWeights.create(m, 1), "random-1"));
  }

  private static FeatureMap image(ModelSpec m) {
    var s = m.inputShape();
    float[] px = new float[(int) s.elements()];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % 13) / 13f;
    }
    return FeatureMap.whole(s.height(), s.width(), s.channels(), px);
  }

  /** One band, one stage, every pause answered with the band's own sums; output read. */
  private static double trunkMillis(SliceRunner runner, FeatureMap image) {
    ModelSpec m = runner.weights().model();
    StageGeometry g =
        StageGeometry.of(
            m, new Stage(1, m.size()), StageGeometry.bandsOf(m.shape(m.lastNode()).height()));
    long start = cpuNanos();
    try (StageRun run = runner.start(g, 0, image)) {
      StageRun.Reduce reduce = run.step(null);
      while (!run.done()) {
        reduce = run.step(reduce == null ? null : reduce.partialSum());
      }
      run.output();
    }
    return (cpuNanos() - start) / 1e6;
  }

  private static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static double oneRowMillis(SliceRunner runner, StageGeometry geo, int runs) {
    ModelSpec m = runner.weights().model();
    var shape = m.shape(geo.stage().inputNode());
    var rows = geo.inputRows(0);
    float[] data = new float[rows.size() * shape.width() * shape.channels()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (i % 7) / 7f;
    }
    FeatureMap input =
        new FeatureMap(rows.start(), rows.size(), shape.width(), shape.channels(), data);
    double[] millis = new double[runs];
    for (int i = -WARM_UP_ONE_ROW; i < runs; i++) {
      long start = cpuNanos();
      try (StageRun run = runner.start(geo, 0, input)) {
        run.step(null);
        run.output();
      }
      if (i >= 0) {
        millis[i] = (cpuNanos() - start) / 1e6;
      }
    }
    return median(millis);
  }

  /** Among stages between adjacent cut points with no reduction, the fewest MACs for row 0. */
  static StageGeometry cheapestOneRowBand(ModelSpec model) {
    List<Integer> cuts = model.cutPoints();
    StageGeometry best = null;
    for (int i = 0; i + 1 < cuts.size(); i++) {
      Stage stage = new Stage(cuts.get(i), cuts.get(i + 1));
      int rows = model.shape(stage.outputNode()).height();
      if (rows < 2 || !ModelCost.reductions(model, stage.from(), stage.to()).isEmpty()) {
        continue;
      }
      StageGeometry g = StageGeometry.of(model, stage, StageGeometry.bandsOf(1, rows - 1));
      if (best == null || g.macs(0) < best.macs(0)) {
        best = g;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException(
          model.name() + " has no stage without reductions to measure");
    }
    return best;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
