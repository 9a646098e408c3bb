package io.edgedi.inference.graph;

import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The one mapping from a model node to TensorFlow ops, shared by the deployment runtime and by
 * training so that the model they train is the model they deploy, op for op. What differs between
 * the two graphs comes in through three interfaces: where the weights come from ({@link
 * WeightSource}), where a channel attention's gate comes from ({@link GateSource}) and how many
 * rows and columns of border a windowed op gets ({@link BorderPadding}).
 *
 * <p>Convolutions and pooling run VALID on explicitly padded input, zeros for convolutions and
 * -infinity for pooling so that padding never wins: TF's SAME would pad 0 above and 1 below for
 * strided layers such as ResNet's stem, which is not the geometry the planner computes halos for.
 */
public final class NodeOps {
  private final Ops tf;
  private final WeightSource weights;
  private final GateSource gates;
  private final BorderPadding border;

  public NodeOps(Ops tf, WeightSource weights, GateSource gates, BorderPadding border) {
    this.tf = tf;
    this.weights = weights;
    this.gates = gates;
    this.border = border;
  }

  /** Whether {@code op} pads its input, and so asks {@link BorderPadding} for paddings. */
  public static boolean pads(Op op) {
    return (op instanceof Op.Conv || op instanceof Op.MaxPool) && op.pad() > 0;
  }

  /**
   * The node's output from its row inputs ({@code ModelSpec.rowInputs}: an attention's separate
   * gate source reaches it only through {@link GateSource}). The model's input has no ops: each
   * graph feeds it in its own shape.
   */
  public Operand<TFloat32> apply(Node node, List<Operand<TFloat32>> inputs) {
    Op op = node.op();
    if (op instanceof Op.Conv c) {
      return conv(node, c, inputs.get(0));
    } else if (op instanceof Op.MaxPool p) {
      Operand<TFloat32> x = padded(node, inputs.get(0), Float.NEGATIVE_INFINITY);
      return tf.nn.maxPool(
          x,
          tf.constant(new int[] {1, p.kernel(), p.kernel(), 1}),
          tf.constant(new int[] {1, p.stride(), p.stride(), 1}),
          "VALID");
    } else if (op instanceof Op.ChannelAttention) {
      return tf.math.mul(inputs.get(0), gates.gate(node));
    } else if (op instanceof Op.Add a) {
      Operand<TFloat32> y = tf.math.add(inputs.get(0), inputs.get(1));
      return a.relu() ? tf.nn.relu(y) : y;
    }
    throw new IllegalArgumentException("no TensorFlow ops for node " + node.name() + ": " + op);
  }

  private Operand<TFloat32> conv(Node node, Op.Conv c, Operand<TFloat32> input) {
    Operand<TFloat32> x = padded(node, input, 0f);
    Operand<TFloat32> y =
        tf.nn.conv2d(
            x,
            weights.kernel(node),
            List.of(1L, (long) c.stride(), (long) c.stride(), 1L),
            "VALID");
    y = tf.nn.biasAdd(y, weights.bias(node));
    if (c.batchNorm()) {
      y = weights.batchNorm(node, y);
    }
    return c.relu() ? tf.nn.relu(y) : y;
  }

  private Operand<TFloat32> padded(Node node, Operand<TFloat32> x, float value) {
    return pads(node.op()) ? tf.pad(x, border.paddings(node), tf.constant(value)) : x;
  }
}
