package io.edgedi.inference.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class NodeOpsTest {
  private static final float[] NEGATIVE_3X3 = {-1, -2, -3, -4, -5, -6, -7, -8, -9};
  private static final float[] ONES_3X3 = {1, 1, 1, 1, 1, 1, 1, 1, 1};

  @Test
  void poolingPadsWithMinusInfinitySoTheBorderNeverWins() {
    Node pool = new Node(1, "pool", new Op.MaxPool(2, 2, 1), List.of(0));
    assertArrayEquals(new float[] {-1, -2, -4, -5}, run(pool, NEGATIVE_3X3, 2));
  }

  @Test
  void convolutionPadsWithZeros() {
    Node conv = new Node(1, "conv", new Op.Conv(3, 1, 1, 1, 1, false, false), List.of(0));
    assertArrayEquals(new float[] {4, 6, 4, 6, 9, 6, 4, 6, 4}, run(conv, ONES_3X3, 3));
  }

  @Test
  void theModelInputHasNoOps() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      NodeOps ops = new NodeOps(tf, onesKernel(tf), attention -> null, BorderPadding.wholeMap(tf));
      Node input = new Node(0, "input", new Op.Input(1), List.of());
      assertThrows(IllegalArgumentException.class, () -> ops.apply(input, List.of()));
    }
  }

  /** The node on a one-channel 3x3 map, its weights all ones, every side the image border. */
  private static float[] run(Node node, float[] image, int outSide) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.constant(Shape.of(1, 3, 3, 1), DataBuffers.of(image, true, false));
      NodeOps ops = new NodeOps(tf, onesKernel(tf), attention -> null, BorderPadding.wholeMap(tf));
      Operand<TFloat32> y = ops.apply(node, List.of(x));
      try (Session s = new Session(g);
          Result r = s.runner().fetch(y).run()) {
        float[] out = new float[outSide * outSide];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
        return out;
      }
    }
  }

  private static WeightSource onesKernel(Ops tf) {
    return new WeightSource() {
      @Override
      public Operand<TFloat32> kernel(Node conv) {
        Op.Conv c = (Op.Conv) conv.op();
        float[] ones = new float[c.kernel() * c.kernel() * c.inChannels() * c.outChannels()];
        Arrays.fill(ones, 1f);
        return tf.constant(
            Shape.of(c.kernel(), c.kernel(), c.inChannels(), c.outChannels()),
            DataBuffers.of(ones, true, false));
      }

      @Override
      public Operand<TFloat32> bias(Node conv) {
        return tf.constant(new float[((Op.Conv) conv.op()).outChannels()]);
      }

      @Override
      public Operand<TFloat32> batchNorm(Node conv, Operand<TFloat32> y) {
        return y;
      }
    };
  }
}
