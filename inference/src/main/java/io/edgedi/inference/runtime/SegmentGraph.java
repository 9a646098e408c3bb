package io.edgedi.inference.runtime;

import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.weights.FoldedWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The only place that turns model nodes into a TensorFlow graph: one graph and session per
 * segment, built once and run for any band. Band height is dynamic; how many rows to crop and
 * where to add border padding comes in as a small integer vector per run (see
 * {@link SegmentGeometry}), so padding appears only at the true image border and never at a
 * band's cut. Convolutions run VALID on explicitly padded input. Every op beyond the model's own
 * costs a few microseconds per run, so crops that always keep every row and paddings that are
 * always zero are not in the graph, and each crop or padding takes its vectors from the fed
 * integers with one slice.
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
  private Operand<TFloat64> partialSum;

  SegmentGraph(ModelSpec model, FoldedWeights weights, Segment segment) {
    this.model = model;
    this.segment = segment;
    this.graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      layout = new SegmentGeometry(model, segment);
      geometry = tf.withName("geometry").placeholder(TInt32.class, Placeholder.shape(Shape.of(layout.length())));
      build(tf, weights);
      session = new Session(graph, TfRuntime.sessionConfig());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  private void build(Ops tf, FoldedWeights weights) {
    Map<Integer, Operand<TFloat32>> values = new LinkedHashMap<>();
    for (int n : model.liveAt(segment.from())) {
      TensorShape s = model.shape(n);
      Placeholder<TFloat32> p = tf.withName("in_" + n).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(1, -1, s.width(), s.channels())));
      inputs.put(n, p);
      values.put(n, p);
    }
    int slot = 0;
    for (int id = segment.from(); id < segment.to(); id++) {
      Node node = model.node(id);
      List<Operand<TFloat32>> ins = new ArrayList<>();
      List<Integer> rowInputs = model.rowInputs(id);
      for (int i = 0; i < rowInputs.size(); i++) {
        Operand<TFloat32> x = values.get(rowInputs.get(i));
        if (layout.cropped(id, i)) {
          x = cropRows(tf, x, slot);
          slot += SegmentGeometry.SLOT;
        }
        ins.add(x);
      }
      Operand<TFloat32> y;
      if (node.op() instanceof Op.Conv c) {
        Operand<TFloat32> x = ins.get(0);
        if (layout.padded(id)) {
          x = padRows(tf, x, slot, 0f);
          slot += SegmentGeometry.SLOT;
        }
        float[] k = weights.kernel(id);
        y = tf.nn.conv2d(x,
            tf.constant(Shape.of(c.kernel(), c.kernel(), c.inChannels(), c.outChannels()), DataBuffers.of(k, true, false)),
            List.of(1L, (long) c.stride(), (long) c.stride(), 1L), "VALID");
        y = tf.nn.biasAdd(y, tf.constant(weights.bias(id)));
        if (c.relu()) {
          y = tf.nn.relu(y);
        }
      } else if (node.op() instanceof Op.MaxPool p) {
        Operand<TFloat32> x = ins.get(0);
        if (layout.padded(id)) {
          x = padRows(tf, x, slot, Float.NEGATIVE_INFINITY);
          slot += SegmentGeometry.SLOT;
        }
        y = tf.nn.maxPool(x, tf.constant(new int[] {1, p.kernel(), p.kernel(), 1}),
            tf.constant(new int[] {1, p.stride(), p.stride(), 1}), "VALID");
      } else if (node.op() instanceof Op.ChannelAttention a) {
        // Fed in the shape it broadcasts in: no reshape op per run.
        Placeholder<TFloat32> gate = tf.withName("gate_" + id).placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(1, 1, 1, a.channels())));
        gates.put(id, gate);
        y = tf.math.mul(ins.get(0), gate);
      } else if (node.op() instanceof Op.Add a) {
        y = tf.math.add(ins.get(0), ins.get(1));
        if (a.relu()) {
          y = tf.nn.relu(y);
        }
      } else {
        throw new IllegalStateException("cannot run " + node.op() + " in a segment");
      }
      values.put(id, y);
    }
    if (segment.reduces()) {
      Operand<TFloat32> owned = cropRows(tf, values.get(segment.reduceNode()), slot);
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

  /** The slice whose begin is {@code geometry[slot, slot+4)} and size {@code geometry[slot+4, slot+8)}. */
  private Operand<TFloat32> cropRows(Ops tf, Operand<TFloat32> x, int slot) {
    return tf.slice(x, vectorAt(tf, slot, 4), vectorAt(tf, slot + 4, 4));
  }

  /** Pads by the 4x2 paddings at {@code geometry[slot, slot+8)}. */
  private Operand<TFloat32> padRows(Ops tf, Operand<TFloat32> x, int slot, float value) {
    Operand<TInt32> paddings = tf.reshape(vectorAt(tf, slot, 8), tf.constant(new int[] {4, 2}));
    return tf.pad(x, paddings, tf.constant(value));
  }

  private Operand<TInt32> vectorAt(Ops tf, int slot, int length) {
    return tf.slice(geometry, tf.constant(new int[] {slot}), tf.constant(new int[] {length}));
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
   * Runs the segment. The returned {@link Result} holds the output tensors in the order of
   * {@link #outputNodes()}, then the partial sum if the segment reduces; the caller closes it.
   */
  Result run(Map<Integer, ? extends Tensor> live, Map<Integer, float[]> gateValues, StageGeometry stage,
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
          throw new IllegalArgumentException("segment " + segment + " needs a gate of " + channels
              + " values for attention " + e.getKey());
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
