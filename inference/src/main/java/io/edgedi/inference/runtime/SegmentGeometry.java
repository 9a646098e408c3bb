package io.edgedi.inference.runtime;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.RowWindow;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.graph.NodeOps;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import java.util.List;
import java.util.Objects;

/**
 * Which row crops and border paddings of a segment depend on the band, and the integers that give
 * them for one band: for each such crop the {@code begin} and {@code size} vectors of a slice, for
 * each such padding the 4x2 paddings, then the owned rows of a reduce, all laid out so that the
 * graph takes each as one slice of one fed vector. One graph thus serves every band of the segment.
 *
 * <p>Most crops keep every row held, for every band: a node's rows are exactly what its only reader
 * needs, unless the map is also read by another node (a residual branch) or is a gate source (owned
 * rows may widen it). Those crops are left out of the graph, and {@link #values} checks the claim
 * on every run. Windowed ops without padding never reach the border, so they get no padding op
 * either.
 */
final class SegmentGeometry {
  /** Integers per crop (begin, size) and per padding (a 4x2 matrix). */
  static final int SLOT = 8;

  private final ModelSpec model;
  private final Segment segment;
  private final boolean[][] cropped;
  private final boolean[] padded;
  private final int length;

  SegmentGeometry(ModelSpec model, Segment segment) {
    this.model = model;
    this.segment = segment;
    int nodes = segment.to() - segment.from();
    cropped = new boolean[nodes][];
    padded = new boolean[nodes];
    int n = 0;
    for (int id = segment.from(); id < segment.to(); id++) {
      List<Integer> ins = model.rowInputs(id);
      boolean[] c = new boolean[ins.size()];
      for (int i = 0; i < c.length; i++) {
        c[i] = mayNeedCrop(ins.get(i));
        n += c[i] ? SLOT : 0;
      }
      cropped[id - segment.from()] = c;
      padded[id - segment.from()] = NodeOps.pads(model.node(id).op());
      n += padded[id - segment.from()] ? SLOT : 0;
    }
    length = n + (segment.reduces() ? SLOT : 0);
  }

  private boolean mayNeedCrop(int in) {
    int rowReaders = 0;
    for (int c : model.consumers(in)) {
      if (model.rowInputs(c).contains(in)) {
        rowReaders++;
      }
      if (model.node(c).op() instanceof Op.ChannelAttention && model.gateSource(c) == in) {
        return true;
      }
    }
    return rowReaders != 1;
  }

  /** Whether the {@code i}-th row input of {@code node} is cropped in the graph. */
  boolean cropped(int node, int i) {
    return cropped[node - segment.from()][i];
  }

  /** Whether {@code node} pads its input rows in the graph. */
  boolean padded(int node) {
    return padded[node - segment.from()];
  }

  /** How many integers {@link #values} produces. */
  int length() {
    return length;
  }

  int[] values(StageGeometry geo, int worker) {
    int[] out = new int[length];
    int i = 0;
    for (int id = segment.from(); id < segment.to(); id++) {
      Node node = model.node(id);
      RowRange raw =
          RowWindow.inputRows(node.op(), Objects.requireNonNull(geo.computed(worker, id)));
      List<Integer> ins = model.rowInputs(id);
      for (int k = 0; k < ins.size(); k++) {
        int in = ins.get(k);
        RowRange need = raw.clip(model.shape(in).height());
        RowRange held = Objects.requireNonNull(geo.computed(worker, in));
        if (!held.contains(need)) {
          throw new IllegalStateException(
              "node "
                  + node.name()
                  + " needs rows "
                  + need
                  + " of node "
                  + in
                  + " but worker "
                  + worker
                  + " holds "
                  + held);
        }
        if (cropped(id, k)) {
          i = crop(out, i, need.start() - held.start(), need.size());
        } else if (!need.equals(held)) {
          throw new IllegalStateException(
              "segment "
                  + segment
                  + " reads node "
                  + in
                  + " uncropped, but "
                  + node.name()
                  + " needs rows "
                  + need
                  + " of the "
                  + held
                  + " worker "
                  + worker
                  + " holds");
        }
      }
      if (padded(id)) {
        int height = model.shape(node.inputs().get(0)).height();
        int pad = node.op().pad();
        int[] paddings = {
          0, 0, Math.max(0, -raw.start()), Math.max(0, raw.end() - height), pad, pad, 0, 0
        };
        System.arraycopy(paddings, 0, out, i, SLOT);
        i += SLOT;
      }
    }
    if (segment.reduces()) {
      int x = segment.reduceNode();
      RowRange own = Objects.requireNonNull(geo.owned(worker, x));
      i =
          crop(
              out,
              i,
              own.start() - Objects.requireNonNull(geo.computed(worker, x)).start(),
              own.size());
    }
    if (i != out.length) {
      throw new IllegalStateException("segment geometry filled " + i + " of " + out.length);
    }
    return out;
  }

  /** A slice's begin and size vectors for {@code rows} rows from row {@code offset} of a band. */
  private static int crop(int[] out, int i, int offset, int rows) {
    int[] v = {0, offset, 0, 0, -1, rows, -1, -1};
    System.arraycopy(v, 0, out, i, SLOT);
    return i + SLOT;
  }
}
