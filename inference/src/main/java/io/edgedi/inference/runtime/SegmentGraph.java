package io.edgedi.inference.runtime;

import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.graph.NodeOps;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.weights.FoldedWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * One graph and session per segment, built once and run for any band. Band height is dynamic; how
 * many rows to crop and where to add border padding comes in as a small integer vector per run
 * ({@link SegmentGeometry}, read through {@link GeometryFeed}), so padding appears only at the true
 * image border and never at a band's cut. The nodes' ops come from {@link NodeOps} with the folded
 * weights as constants and each attention's gate fed. Every op beyond the model's own costs a few
 * microseconds per run, so crops that always keep every row and paddings that are always zero are
 * not in the graph.
 *
 * <p>Thread-safe: TF sessions may be run concurrently. Owns its graph and session.
 */
final class SegmentGraph implements AutoCloseable {
  private final ModelSpec model;
  private final Segment segment;
  private final Graph graph;
  private final Session session;
  private final SegmentGeometry layout;
  private final Placeholder<TInt32> geometry;
  private final Map<Integer, Placeholder<TFloat32>> inputs = new LinkedHashMap<>();
  private final Map<Integer, Operand<TFloat32>> outputs = new LinkedHashMap<>();

  /** One gate per channel attention of the segment, by attention node. */
  private final Map<Integer, Placeholder<TFloat32>> gates = new LinkedHashMap<>();

  /** Only when the segment reduces. */
  private @Nullable Operand<TFloat64> partialSum;

  SegmentGraph(ModelSpec model, FoldedWeights weights, Segment segment) {
    this.model = model;
    this.segment = segment;
    this.graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      layout = new SegmentGeometry(model, segment);
      GeometryFeed feed = new GeometryFeed(tf, layout.length());
      geometry = feed.placeholder();
      build(tf, weights, feed);
      feed.checkUsed();
      session = new Session(graph, TfRuntime.sessionConfig());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  private void build(Ops tf, FoldedWeights weights, GeometryFeed feed) {
    Map<Integer, Operand<TFloat32>> values = new LinkedHashMap<>();
    for (int n : model.liveAt(segment.from())) {
      TensorShape s = model.shape(n);
      Placeholder<TFloat32> p =
          tf.withName("in_" + n)
              .placeholder(
                  TFloat32.class, Placeholder.shape(Shape.of(1, -1, s.width(), s.channels())));
      inputs.put(n, p);
      values.put(n, p);
    }
    NodeOps ops =
        new NodeOps(
            tf, new ConstantWeights(tf, weights), attention -> fedGate(tf, attention), feed);
    for (int id = segment.from(); id < segment.to(); id++) {
      List<Operand<TFloat32>> ins = new ArrayList<>();
      List<Integer> rowInputs = model.rowInputs(id);
      for (int i = 0; i < rowInputs.size(); i++) {
        Operand<TFloat32> x = Objects.requireNonNull(values.get(rowInputs.get(i)));
        ins.add(layout.cropped(id, i) ? feed.crop(x) : x);
      }
      values.put(id, ops.apply(model.node(id), ins));
    }
    if (segment.reduces()) {
      Operand<TFloat32> owned = feed.crop(Objects.requireNonNull(values.get(segment.reduceNode())));
      // Summed in double so that how the rows are split barely changes the total: the gate
      // then matches monolithic inference to the last bit in practice.
      partialSum = tf.sum(tf.dtypes.cast(owned, TFloat64.class), tf.constant(new int[] {0, 1, 2}));
    }
    for (int n : model.liveAt(segment.to())) {
      if (n >= segment.from()) {
        outputs.put(n, values.get(n));
      }
    }
  }

  /** Fed in the shape it broadcasts in: no reshape op per run. */
  private Placeholder<TFloat32> fedGate(Ops tf, Node attention) {
    int channels = ((Op.ChannelAttention) attention.op()).channels();
    Placeholder<TFloat32> gate =
        tf.withName("gate_" + attention.id())
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 1, 1, channels)));
    gates.put(attention.id(), gate);
    return gate;
  }

  Segment segment() {
    return segment;
  }

  /** Nodes this segment reads from earlier segments (or the stage input). */
  Iterable<Integer> inputNodes() {
    return inputs.keySet();
  }

  /** Nodes this segment computes that later segments (or the leader) read. */
  List<Integer> outputNodes() {
    return new ArrayList<>(outputs.keySet());
  }

  /** The channel attentions this segment applies; {@link #run} needs a gate for each. */
  Iterable<Integer> attentionNodes() {
    return gates.keySet();
  }

  /**
   * Runs the segment. The returned {@link Result} holds the output tensors in the order of {@link
   * #outputNodes()}, then the partial sum if the segment reduces; the caller closes it.
   */
  Result run(
      Map<Integer, ? extends Tensor> live,
      Map<Integer, float[]> gateValues,
      StageGeometry stage,
      int worker) {
    List<Tensor> fed = new ArrayList<>();
    try (TInt32 geo = TInt32.vectorOf(layout.values(stage, worker))) {
      Session.Runner runner = session.runner().feed(geometry, geo);
      for (Map.Entry<Integer, Placeholder<TFloat32>> e : inputs.entrySet()) {
        Tensor t = live.get(e.getKey());
        if (t == null) {
          throw new IllegalStateException("segment " + segment + " needs node " + e.getKey());
        }
        runner.feed(e.getValue(), t);
      }
      for (Operand<TFloat32> out : outputs.values()) {
        runner.fetch(out);
      }
      if (partialSum != null) {
        runner.fetch(partialSum);
      }
      for (Map.Entry<Integer, Placeholder<TFloat32>> e : gates.entrySet()) {
        float[] g = gateValues.get(e.getKey());
        long channels = e.getValue().shape().size(3);
        if (g == null || g.length != channels) {
          throw new IllegalArgumentException(
              "segment "
                  + segment
                  + " needs a gate of "
                  + channels
                  + " values for attention "
                  + e.getKey());
        }
        TFloat32 t = TFloat32.tensorOf(Shape.of(1, 1, 1, g.length), DataBuffers.of(g, true, false));
        fed.add(t);
        runner.feed(e.getValue(), t);
      }
      return runner.run();
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
