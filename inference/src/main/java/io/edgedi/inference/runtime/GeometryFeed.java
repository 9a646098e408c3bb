package io.edgedi.inference.runtime;

import io.edgedi.inference.graph.BorderPadding;
import io.edgedi.inference.model.Node;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The fed integer vector of {@link SegmentGeometry} inside the graph: each crop or padding takes
 * the next slot, so the graph must ask for them in the order the layout wrote them (per node, its
 * cropped inputs, then its padding; the reduce last). One slice per crop or padding keeps the ops
 * per run few.
 */
final class GeometryFeed implements BorderPadding {
  private final Ops tf;
  private final Placeholder<TInt32> vector;
  private final int length;
  private int slot;

  GeometryFeed(Ops tf, int length) {
    this.tf = tf;
    this.length = length;
    this.vector =
        tf.withName("geometry").placeholder(TInt32.class, Placeholder.shape(Shape.of(length)));
  }

  Placeholder<TInt32> placeholder() {
    return vector;
  }

  /**
   * The rows of the next slot: a slice with begin {@code [slot, slot+4)} and size {@code [slot+4,
   * slot+8)}.
   */
  Operand<TFloat32> crop(Operand<TFloat32> x) {
    Operand<TFloat32> y = tf.slice(x, vectorAt(slot, 4), vectorAt(slot + 4, 4));
    slot += SegmentGeometry.SLOT;
    return y;
  }

  /** The 4x2 paddings of the next slot. */
  @Override
  public Operand<TInt32> paddings(Node node) {
    Operand<TInt32> p = tf.reshape(vectorAt(slot, 8), tf.constant(new int[] {4, 2}));
    slot += SegmentGeometry.SLOT;
    return p;
  }

  /** Fails unless the graph took every slot: the layout and the graph disagree otherwise. */
  void checkUsed() {
    if (slot != length) {
      throw new IllegalStateException(
          "segment graph read " + slot + " of " + length + " geometry integers");
    }
  }

  private Operand<TInt32> vectorAt(int from, int size) {
    return tf.slice(vector, tf.constant(new int[] {from}), tf.constant(new int[] {size}));
  }
}
