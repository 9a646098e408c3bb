package io.edgedi.inference.graph;

import io.edgedi.inference.model.Node;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A convolution's weights as graph operands: constants where a graph only runs the model, variables
 * where it trains them.
 */
public interface WeightSource {
  /** The kernel, {@code [kernel, kernel, in channels, out channels]}. */
  Operand<TFloat32> kernel(Node conv);

  /** The bias, one value per output channel. */
  Operand<TFloat32> bias(Node conv);

  /**
   * The convolution's output {@code y} after its BatchNorm; {@code y} itself where kernel and bias
   * have the BatchNorm folded in.
   */
  Operand<TFloat32> batchNorm(Node conv, Operand<TFloat32> y);
}
