package io.edgedi.inference.runtime;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.RowWindow;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import java.util.Arrays;

/**
 * The per-run integers a segment graph needs: for every node, each input's crop (offset into
 * the rows held, rows kept) and, for windowed ops, the zero rows to add at the true border; then
 * the owned rows of a reduce. {@link SegmentGraph} reads them in exactly this order, so one graph
 * serves every band of the same segment.
 */
final class SegmentGeometry {
  private SegmentGeometry() {}

  static boolean windowed(Op op) {
    return op instanceof Op.Conv || op instanceof Op.MaxPool;
  }

  /** How many integers {@link #of} produces for a segment. */
  static int length(ModelSpec model, Segment seg) {
    int n = 0;
    for (int id = seg.from(); id < seg.to(); id++) {
      Node node = model.node(id);
      n += 2 * model.rowInputs(id).size() + (windowed(node.op()) ? 2 : 0);
    }
    return n + (seg.reduces() ? 2 : 0);
  }

  static int[] of(StageGeometry geo, int worker, Segment seg) {
    ModelSpec model = geo.model();
    int[] out = new int[length(model, seg)];
    int i = 0;
    for (int id = seg.from(); id < seg.to(); id++) {
      Node node = model.node(id);
      RowRange raw = RowWindow.inputRows(node.op(), geo.computed(worker, id));
      for (int in : model.rowInputs(id)) {
        RowRange need = raw.clip(model.shape(in).height());
        RowRange held = geo.computed(worker, in);
        if (!held.contains(need)) {
          throw new IllegalStateException("node " + node.name() + " needs rows " + need + " of node "
              + in + " but worker " + worker + " holds " + held);
        }
        out[i++] = need.start() - held.start();
        out[i++] = need.size();
      }
      if (windowed(node.op())) {
        int height = model.shape(node.inputs().get(0)).height();
        out[i++] = Math.max(0, -raw.start());
        out[i++] = Math.max(0, raw.end() - height);
      }
    }
    if (seg.reduces()) {
      int x = seg.reduceNode();
      RowRange own = geo.owned(worker, x);
      out[i++] = own.start() - geo.computed(worker, x).start();
      out[i++] = own.size();
    }
    if (i != out.length) {
      throw new IllegalStateException("segment geometry " + Arrays.toString(out) + " filled " + i);
    }
    return out;
  }
}
