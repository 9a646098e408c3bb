package io.edgedi.inference.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Parameter and multiply-accumulate counts of a model, as run (BatchNorm folded into convs). Pure
 * arithmetic over the spec, so the planner can price a band without running it.
 */
public final class ModelCost {
  private ModelCost() {}

  /** Weights plus biases of a node, BatchNorm folded. */
  public static long params(ModelSpec m, int node) {
    Op op = m.node(node).op();
    if (op instanceof Op.Conv c) {
      return (long) c.kernel() * c.kernel() * c.inChannels() * c.outChannels() + c.outChannels();
    }
    if (op instanceof Op.ChannelAttention a) {
      return (long) sourceChannels(m, node) * a.channels() + a.channels();
    }
    return 0;
  }

  private static int sourceChannels(ModelSpec m, int attention) {
    return m.shape(m.gateSource(attention)).channels();
  }

  /** Multiply-accumulates of a node for {@code outRows} rows of its output. */
  public static long macsForRows(ModelSpec m, int node, int outRows) {
    Op op = m.node(node).op();
    TensorShape out = m.shape(node);
    if (op instanceof Op.Conv c) {
      return (long) outRows
          * out.width()
          * c.kernel()
          * c.kernel()
          * c.inChannels()
          * c.outChannels();
    }
    if (op instanceof Op.ChannelAttention a) {
      // The scale is one multiply per element; the dense layer runs once per frame on the leader.
      return (long) outRows * out.width() * a.channels();
    }
    return 0;
  }

  public static long macs(ModelSpec m, int node) {
    long macs = macsForRows(m, node, m.shape(node).height());
    if (m.node(node).op() instanceof Op.ChannelAttention a) {
      macs += (long) sourceChannels(m, node) * a.channels();
    }
    return macs;
  }

  public static long params(ModelSpec m) {
    long sum = headParams(m);
    for (int i = 0; i < m.size(); i++) {
      sum += params(m, i);
    }
    return sum;
  }

  public static long macs(ModelSpec m) {
    long sum = (long) m.shape(m.lastNode()).channels() * m.classes();
    for (int i = 0; i < m.size(); i++) {
      sum += macs(m, i);
    }
    return sum;
  }

  public static long headParams(ModelSpec m) {
    return (long) m.shape(m.lastNode()).channels() * m.classes() + m.classes();
  }

  /**
   * Whole-map reductions of a model run as one stage, plus the head's global pooling. Attentions
   * that share a gate source share its reduction (a scarp level needs one).
   */
  public static int syncPoints(ModelSpec m) {
    return reductions(m, 1, m.size()).size() + 1;
  }

  /**
   * The maps a stage of nodes {@code [from, to)} must sum over the whole frame, in the order the
   * stage needs them: the distinct gate sources of its channel attentions. Each is one reduce round
   * (partial sums from every band, whole sums back) when the stage is split.
   */
  public static List<Integer> reductions(ModelSpec m, int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int n = from; n < to; n++) {
      if (m.node(n).op() instanceof Op.ChannelAttention) {
        int source = m.gateSource(n);
        if (!out.contains(source)) {
          out.add(source);
        }
      }
    }
    return out;
  }
}
