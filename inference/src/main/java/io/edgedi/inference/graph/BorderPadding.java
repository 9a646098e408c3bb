package io.edgedi.inference.graph;

import io.edgedi.inference.model.Node;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/**
 * How much border a padding node adds on each side, as NHWC {@code [4, 2]} paddings. Padding
 * belongs only at the true image border, so a band of rows pads above or below only where it
 * reaches the border; a whole map pads every side.
 */
public interface BorderPadding {
  Operand<TInt32> paddings(Node node);

  /** The node's {@code pad} on every side: every edge of a whole map is the image border. */
  static BorderPadding wholeMap(Ops tf) {
    return node -> {
      int p = node.op().pad();
      return tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}});
    };
  }
}
