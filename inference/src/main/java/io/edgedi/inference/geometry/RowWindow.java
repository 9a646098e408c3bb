package io.edgedi.inference.geometry;

import io.edgedi.inference.model.Op;

/** Which input rows an op reads to produce a range of output rows (before clipping). */
public final class RowWindow {
  private RowWindow() {}

  /**
   * Output rows {@code [a, b)} read input rows {@code [a*s - p, (b-1)*s - p + k)}. Rows outside
   * {@code [0, inputHeight)} are the op's padding: they exist only at the true image border.
   */
  public static RowRange inputRows(Op op, RowRange out) {
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no output rows");
    }
    int start = out.start() * op.stride() - op.pad();
    int end = (out.end() - 1) * op.stride() - op.pad() + op.kernel();
    return new RowRange(start, end);
  }
}
