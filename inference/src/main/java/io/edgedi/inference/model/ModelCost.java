package io.edgedi.inference.model;

/**
 * Parameter and multiply-accumulate counts of a model, as run (BatchNorm folded into convs).
 * Pure arithmetic over the spec, so the planner can price a band without running it.
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
      return (long) a.channels() * a.channels() + a.channels();
    }
    return 0;
  }

  /** Multiply-accumulates of a node for {@code outRows} rows of its output. */
  public static long macsForRows(ModelSpec m, int node, int outRows) {
    Op op = m.node(node).op();
    TensorShape out = m.shape(node);
    if (op instanceof Op.Conv c) {
      return (long) outRows * out.width() * c.kernel() * c.kernel() * c.inChannels() * c.outChannels();
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
      macs += (long) a.channels() * a.channels();
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

  /** Ops that need the whole map: every channel attention plus the head's global pooling. */
  public static int syncPoints(ModelSpec m) {
    int n = 1;
    for (Node node : m.nodes()) {
      if (node.op().needsWholeMap()) {
        n++;
      }
    }
    return n;
  }
}
