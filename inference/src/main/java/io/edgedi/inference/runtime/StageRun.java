package io.edgedi.inference.runtime;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.model.TensorShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * One worker's run of one stage on its band: segment by segment, pausing at each reduce step until
 * the caller brings the whole map's sums (every band's partial sum added), from which the run
 * computes the attention gates itself. Holds the live tensors between segments (native: only
 * partial sums and, at the end, the output band are copied out) and closes them all in {@link
 * #close()}. Not thread-safe: one caller drives it.
 */
public final class StageRun implements AutoCloseable {
  private final SliceRunner runner;
  private final StageGeometry geometry;
  private final int worker;
  private final List<Segment> segments;
  private final FeatureMap band;
  private final TFloat32 input;
  private final List<Result> results = new ArrayList<>();
  private final Map<Integer, Tensor> live = new HashMap<>();
  private final Map<Integer, float[]> gates = new HashMap<>();
  private int next;
  private int tfRuns;
  private int awaitedNode = Segment.NONE;

  /**
   * A request to reduce: {@code partialSum} is the per-channel sum (double) over the rows this
   * worker owns of node {@code node}'s map, the gate source of one or more channel attentions (for
   * SCAR the attention's input, for scarp the level's input). The owned rows of all bands partition
   * the map, so the bands' partial sums add up to the whole map's sums.
   */
  public record Reduce(int node, double[] partialSum) {}

  StageRun(SliceRunner runner, StageGeometry geometry, int worker, FeatureMap band) {
    this.runner = runner;
    this.geometry = geometry;
    this.worker = worker;
    this.segments = Segment.of(geometry.model(), geometry.stage());
    int inputNode = geometry.stage().inputNode();
    TensorShape shape = geometry.model().shape(inputNode);
    RowRange need = geometry.inputRows(worker);
    if (!band.range().equals(need)
        || band.width() != shape.width()
        || band.channels() != shape.channels()) {
      throw new IllegalArgumentException(
          "worker "
              + worker
              + " of stage "
              + geometry.stage()
              + " needs rows "
              + need
              + " x "
              + shape.width()
              + " x "
              + shape.channels()
              + ", got rows "
              + band.range()
              + " x "
              + band.width()
              + " x "
              + band.channels());
    }
    this.band = band;
    this.input =
        TFloat32.tensorOf(
            Shape.of(1, band.rows(), band.width(), band.channels()),
            DataBuffers.of(band.data(), true, false));
    live.put(inputNode, input);
  }

  public boolean done() {
    return next == segments.size();
  }

  /**
   * TF runs made so far: steps minus those that only summed the stage input. What a device's
   * per-run overhead is charged for (the planner counts the same, {@code Segment.runs}).
   */
  public int tfRuns() {
    return tfRuns;
  }

  /**
   * Runs the next segment. {@code wholeSums} answers the previous {@link Reduce}: the element-wise
   * sum of every band's {@link Reduce#partialSum()} for it, added in band order starting from 0.0
   * (so that every band, and a one-band run, gets the same doubles); null on the first step. A
   * one-band run passes its own partial sum back. Returns the segment's reduce request, or null
   * when the stage output is ready.
   */
  public @Nullable Reduce step(double @Nullable [] wholeSums) {
    if (done()) {
      throw new IllegalStateException("stage already finished");
    }
    if (awaitedNode != Segment.NONE && wholeSums == null) {
      throw new IllegalStateException(
          "stage " + geometry.stage() + " waits for the sums of node " + awaitedNode);
    }
    if (awaitedNode == Segment.NONE && wholeSums != null) {
      throw new IllegalArgumentException("stage " + geometry.stage() + " asked for no sums");
    }
    if (wholeSums != null) {
      gateFrom(awaitedNode, wholeSums);
    }
    Segment seg = segments.get(next++);
    awaitedNode = seg.reduceNode();
    if (seg.empty()) {
      return new Reduce(seg.reduceNode(), ownedInputSum());
    }
    SegmentGraph graph = runner.graph(seg);
    Result result = graph.run(live, gates, geometry, worker);
    tfRuns++;
    results.add(result);
    List<Integer> outs = graph.outputNodes();
    for (int i = 0; i < outs.size(); i++) {
      live.put(outs.get(i), result.get(i));
    }
    live.keySet().retainAll(geometry.model().liveAt(seg.to()));
    if (!seg.reduces()) {
      return null;
    }
    TFloat64 sum = (TFloat64) result.get(outs.size());
    double[] values = new double[(int) sum.shape().size(0)];
    sum.copyTo(DataBuffers.of(values, false, false));
    return new Reduce(seg.reduceNode(), values);
  }

  /** Gates of every attention of the stage that {@code source} drives. */
  private void gateFrom(int source, double[] wholeSums) {
    ModelSpec model = geometry.model();
    for (int n = geometry.stage().from(); n < geometry.stage().to(); n++) {
      if (model.node(n).op() instanceof Op.ChannelAttention && model.gateSource(n) == source) {
        gates.put(n, AttentionGate.compute(runner.weights(), n, wholeSums));
      }
    }
  }

  /**
   * The partial sum of the stage input's owned rows, straight from the band received: no TF run, so
   * a stage that starts with its level's gate source can reduce before computing anything.
   */
  private double[] ownedInputSum() {
    int node = geometry.stage().inputNode();
    RowRange own = Objects.requireNonNull(geometry.owned(worker, node));
    int c = band.channels();
    double[] sum = new double[c];
    float[] data = band.data();
    int from = (own.start() - band.rowStart()) * band.rowLength();
    int to = (own.end() - band.rowStart()) * band.rowLength();
    for (int i = from; i < to; i += c) {
      for (int ch = 0; ch < c; ch++) {
        sum[ch] += data[i + ch];
      }
    }
    return sum;
  }

  /** This worker's band of the stage output; only once {@link #done()}. */
  public FeatureMap output() {
    if (!done()) {
      throw new IllegalStateException("stage " + geometry.stage() + " not finished");
    }
    int node = geometry.stage().outputNode();
    TFloat32 t = (TFloat32) Objects.requireNonNull(live.get(node), "stage output tensor");
    TensorShape shape = geometry.model().shape(node);
    RowRange rows = Objects.requireNonNull(geometry.computed(worker, node));
    float[] out = new float[rows.size() * shape.width() * shape.channels()];
    if (t.size() != out.length) {
      throw new IllegalStateException(
          "stage output has " + t.size() + " values, expected " + out.length);
    }
    t.copyTo(DataBuffers.of(out, false, false));
    return new FeatureMap(rows.start(), rows.size(), shape.width(), shape.channels(), out);
  }

  @Override
  public void close() {
    live.clear();
    for (Result r : results) {
      r.close();
    }
    results.clear();
    input.close();
  }
}
