package io.edgedi.inference.geometry;

import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rows every worker computes at every node of one stage, given the bands of the stage output:
 * the fused-tile geometry. Pure arithmetic; planner and workers both derive it from the same bands,
 * so they agree on it without sending it.
 *
 * <p>Walking the stage backwards, each node's rows are the span of what its readers need. The gate
 * source of a channel attention (its input, or a separate source map) also gets an <em>owned</em>
 * range per worker: the owned ranges partition the whole map, so the per-band partial sums add up
 * to the exact whole-map sum even though the computed ranges overlap in their halos. A separate
 * source asks for no rows of its own: only its sums are read.
 */
public final class StageGeometry {
  private final ModelSpec model;
  private final Stage stage;
  private final List<RowRange> bands;
  private final RowRange[][] computed;
  private final RowRange[][] owned;

  private StageGeometry(ModelSpec model, Stage stage, List<RowRange> bands) {
    this.model = model;
    this.stage = stage;
    this.bands = List.copyOf(bands);
    int k = bands.size();
    computed = new RowRange[k][model.size()];
    owned = new RowRange[k][model.size()];
    for (int w = 0; w < k; w++) {
      computed[w][stage.outputNode()] = bands.get(w);
    }
    for (int n = stage.outputNode(); n >= stage.inputNode(); n--) {
      if (gatesAttentionInStage(n)) {
        assignOwnership(n);
      }
      if (n < stage.from()) {
        continue;
      }
      Node node = model.node(n);
      for (int w = 0; w < k; w++) {
        RowRange need = RowWindow.inputRows(node.op(), computed[w][n]);
        for (int in : model.rowInputs(n)) {
          RowRange clipped = need.clip(model.shape(in).height());
          computed[w][in] = clipped.span(computed[w][in]);
        }
      }
    }
  }

  /**
   * @param bands one output band per worker, top to bottom, partitioning the rows of the stage's
   *     output node; every band at least one row
   */
  public static StageGeometry of(ModelSpec model, Stage stage, List<RowRange> bands) {
    stage.checkAgainst(model);
    int height = model.shape(stage.outputNode()).height();
    if (bands.isEmpty()) {
      throw new IllegalArgumentException("a stage needs at least one band");
    }
    int next = 0;
    for (RowRange b : bands) {
      if (b.start() != next || b.isEmpty()) {
        throw new IllegalArgumentException(
            "bands "
                + bands
                + " do not partition rows [0,"
                + height
                + ") of node "
                + stage.outputNode()
                + " into non-empty, ordered pieces");
      }
      next = b.end();
    }
    if (next != height) {
      throw new IllegalArgumentException(
          "bands " + bands + " end at " + next + ", map has " + height + " rows");
    }
    return new StageGeometry(model, stage, bands);
  }

  /** Bands from heights, top to bottom. */
  public static List<RowRange> bandsOf(int... heights) {
    List<RowRange> out = new ArrayList<>();
    int start = 0;
    for (int h : heights) {
      out.add(new RowRange(start, start + h));
      start += h;
    }
    return out;
  }

  private boolean gatesAttentionInStage(int n) {
    for (int c : model.consumers(n)) {
      if (c >= stage.from()
          && c < stage.to()
          && model.node(c).op() instanceof Op.ChannelAttention
          && model.gateSource(c) == n) {
        return true;
      }
    }
    return false;
  }

  private void assignOwnership(int n) {
    int k = bands.size();
    int height = model.shape(n).height();
    for (int w = 0; w < k; w++) {
      if (computed[w][n] == null) {
        // Owned rows are cut where the bands' computed rows start; a source no node of the stage
        // reads rows of has no such places. No zoo model has one.
        throw new IllegalStateException(
            "stage "
                + stage
                + " of "
                + model.name()
                + " sums node "
                + n
                + " but computes no rows of it");
      }
    }
    for (int w = 0; w < k; w++) {
      int start = w == 0 ? 0 : computed[w][n].start();
      int end = w == k - 1 ? height : computed[w + 1][n].start();
      // Computed starts are monotone in w, so these ranges partition [0, height).
      RowRange own = new RowRange(start, Math.max(start, end));
      owned[w][n] = own;
      computed[w][n] = own.isEmpty() ? computed[w][n] : computed[w][n].span(own);
    }
  }

  public ModelSpec model() {
    return model;
  }

  public Stage stage() {
    return stage;
  }

  public List<RowRange> bands() {
    return bands;
  }

  public int workers() {
    return bands.size();
  }

  /** Rows worker {@code w} computes of node {@code n}'s output (null outside the stage). */
  public @Nullable RowRange computed(int w, int n) {
    return computed[w][n];
  }

  /**
   * Rows of node {@code n} whose sum worker {@code w} reports, for an attention gated by n (null if
   * n gates no attention of the stage).
   */
  public @Nullable RowRange owned(int w, int n) {
    return owned[w][n];
  }

  /** The input band worker {@code w} must receive, halo included. */
  public RowRange inputRows(int w) {
    return computed[w][stage.inputNode()];
  }

  /** Multiply-accumulates worker {@code w} spends, halo recomputation included. */
  public long macs(int w) {
    long sum = 0;
    for (int n = stage.from(); n < stage.to(); n++) {
      sum += ModelCost.macsForRows(model, n, computed[w][n].size());
    }
    return sum;
  }
}
