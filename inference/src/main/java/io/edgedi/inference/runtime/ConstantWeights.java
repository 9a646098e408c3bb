package io.edgedi.inference.runtime;

import io.edgedi.inference.graph.WeightSource;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.weights.FoldedWeights;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Folded weights as graph constants: the deployed graph never changes them. */
final class ConstantWeights implements WeightSource {
  private final Ops tf;
  private final FoldedWeights weights;

  ConstantWeights(Ops tf, FoldedWeights weights) {
    this.tf = tf;
    this.weights = weights;
  }

  @Override
  public Operand<TFloat32> kernel(Node conv) {
    Op.Conv c = (Op.Conv) conv.op();
    return tf.constant(
        Shape.of(c.kernel(), c.kernel(), c.inChannels(), c.outChannels()),
        DataBuffers.of(weights.kernel(conv.id()), true, false));
  }

  @Override
  public Operand<TFloat32> bias(Node conv) {
    return tf.constant(weights.bias(conv.id()));
  }

  /** Folding put the BatchNorm into kernel and bias at load. */
  @Override
  public Operand<TFloat32> batchNorm(Node conv, Operand<TFloat32> y) {
    return y;
  }
}
