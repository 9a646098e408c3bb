package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.runtime.Segment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The band geometry of one fused stage in a form that prices any band in O(1).
 *
 * <p>{@link StageGeometry} walks a stage backwards: the start of the rows a band computes at a node
 * follows only from the band's start, the end only from the band's end (windows map starts to
 * starts and ends to ends, spans take the min of starts and the max of ends, and the owned range at
 * a channel-attention input runs from the band's own computed start to the next band's computed
 * start, which again depends only on where this band ends). So with, per node n, {@code F_n(s)} =
 * first computed row of a band starting at output row s and {@code E_n(e)} = end of the computed
 * rows of a band ending at e, a band {@code [s, e)} costs {@code macs = A(e) - B(s)} with {@code
 * A(e) = sum_n macsPerRow_n * E_n(e)} and {@code B(s) = sum_n macsPerRow_n * F_n(s)}; its input
 * band is {@code [F_in(s), E_in(e))}. Both are monotone, which is what makes the makespan search
 * exact. The tables are read off StageGeometry itself (two-band splits at every row), so they agree
 * with it by construction; {@code StageTableTest} checks them against StageGeometry on random
 * multi-band plans.
 *
 * <p>Per model, one backward pass per stage end serves every stage start (nodes at or after a cut
 * see the same geometry whatever earlier node the stage starts at); tables are cached per model (a
 * few models at most).
 */
public final class StageTable {
  private static final int MODELS_CACHED = 8;
  private static final Map<ModelSpec, ModelTables> CACHE =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ModelSpec, ModelTables> eldest) {
          return size() > MODELS_CACHED;
        }
      };

  private final Stage stage;
  private final int rows;
  private final double[] macsEnd;
  private final double[] macsStart;
  private final int[] inEnd;
  private final int[] inStart;
  private final double inRowBytes;
  private final double outRowBytes;
  private final int reduces;
  private final int runs;
  private final double reduceBytes;
  private final double haloBytes;
  private final boolean last;
  private final double totalMacs;
  private final double minHaloMacs;
  private final double minInputBytes;

  private StageTable(
      Stage stage,
      int rows,
      double[] macsEnd,
      double[] macsStart,
      int[] inEnd,
      int[] inStart,
      double inRowBytes,
      double outRowBytes,
      int reduces,
      int runs,
      double reduceBytes,
      double peerRowBytes,
      boolean last) {
    this.stage = stage;
    this.rows = rows;
    this.macsEnd = macsEnd;
    this.macsStart = macsStart;
    this.inEnd = inEnd;
    this.inStart = inStart;
    this.inRowBytes = inRowBytes;
    this.outRowBytes = outRowBytes;
    this.reduces = reduces;
    this.runs = runs;
    this.reduceBytes = reduceBytes;
    this.last = last;
    this.totalMacs = macsEnd[rows] - macsStart[0];
    double halo = rows > 1 ? Double.MAX_VALUE : 0;
    int overlap = rows > 1 ? Integer.MAX_VALUE : 0;
    for (int p = 1; p < rows; p++) {
      halo = Math.min(halo, macsEnd[p] - macsStart[p]);
      overlap = Math.min(overlap, inEnd[p] - inStart[p]);
    }
    // Either can be negative where a strided layer skips rows between two bands (a 1x1 stride-2
    // conv alone): the bounds stay valid by charging the worst boundary rows-1 times then.
    this.minHaloMacs = halo;
    int shared = 0;
    for (int p = 1; p < rows; p++) {
      shared = Math.max(shared, inEnd[p] - inStart[p]);
    }
    // A band between two cuts receives about the rows both sides of a cut need (what it lacks
    // above plus what it lacks below); the first stage's input comes from the planner instead.
    this.haloBytes = stage.from() > 1 ? shared * peerRowBytes : 0;
    double inRows = inEnd[rows] - inStart[0] + (overlap < 0 ? (double) (rows - 1) * overlap : 0);
    this.minInputBytes = Math.max(0, inRows) * inRowBytes + rows * outRowBytes;
  }

  /** The table of one stage (which must start and end at cut points of the model). */
  public static StageTable of(ModelSpec model, Stage stage) {
    stage.checkAgainst(model);
    return tables(model).stage(stage.from(), stage.to());
  }

  static ModelTables tables(ModelSpec model) {
    synchronized (CACHE) {
      return CACHE.computeIfAbsent(model, ModelTables::new);
    }
  }

  public Stage stage() {
    return stage;
  }

  /** Rows of the stage's output map. */
  public int rows() {
    return rows;
  }

  /** Multiply-accumulates of band {@code [s, e)}, halo included (equals StageGeometry.macs). */
  public double macs(int s, int e) {
    return macsEnd[e] - macsStart[s];
  }

  /** Input rows band {@code [s, e)} receives, halo included (equals StageGeometry.inputRows). */
  public int inputRows(int s, int e) {
    return inEnd[e] - inStart[s];
  }

  public RowRange inputRange(int s, int e) {
    return new RowRange(inStart[s], inEnd[e]);
  }

  /**
   * Bytes of one input row a band gets from the planner: the first stage's 8-bit image rows; 0 for
   * later stages, whose input the workers hold (their halo is {@link #haloBytes}).
   */
  public double inRowBytes() {
    return inRowBytes;
  }

  /**
   * Bytes of one output row sent on: 0, the workers keep their bands and send the head sums only.
   */
  public double outRowBytes() {
    return outRowBytes;
  }

  /**
   * Whole-map reductions inside the stage (one per distinct attention gate source: one per
   * attention for SCAR, one per level for scarp): each is one all-reduce among the stage's workers.
   */
  public int reduces() {
    return reduces;
  }

  /** TF runs per band: the stage's segments (a reduction of the stage input itself takes none). */
  public int runs() {
    return runs;
  }

  /** Bytes of all reduce messages of one band (its sums out and a neighbour's in, as doubles). */
  public double reduceBytes() {
    return reduceBytes;
  }

  /** Bytes of halo rows (float32) one band of a split stage receives from its neighbours. */
  public double haloBytes() {
    return haloBytes;
  }

  /** True for the trunk's last stage, whose bands send the head's sums to the planner. */
  public boolean last() {
    return last;
  }

  /** MACs of the whole stage on one worker (no halo). */
  public double totalMacs() {
    return totalMacs;
  }

  /**
   * The fewest extra MACs one interior band boundary can cost (halo recomputed on both sides);
   * negative if a boundary can save MACs.
   */
  public double minHaloMacs() {
    return minHaloMacs;
  }

  /** The fewest bytes all bands of any split move together (input rows in, output rows out). */
  public double minTransferBytes() {
    return minInputBytes;
  }

  /** Per model: one backward geometry pass per stage end, stage tables derived lazily. */
  static final class ModelTables {
    final ModelSpec model;
    final List<Integer> cuts;
    final int[] cutIndex;
    private final EndTable[] ends;
    private final StageTable[][] stages;

    ModelTables(ModelSpec model) {
      this.model = model;
      this.cuts = model.cutPoints();
      this.cutIndex = new int[model.size() + 1];
      java.util.Arrays.fill(cutIndex, -1);
      for (int i = 0; i < cuts.size(); i++) {
        cutIndex[cuts.get(i)] = i;
      }
      this.ends = new EndTable[cuts.size()];
      this.stages = new StageTable[cuts.size()][cuts.size()];
    }

    /** The most output rows any stage of the model has. */
    int maxRows() {
      int max = 1;
      for (int c : cuts) {
        if (c > 1) {
          max = Math.max(max, model.shape(c - 1).height());
        }
      }
      return max;
    }

    synchronized StageTable stage(int from, int to) {
      int i = cutIndex[from];
      int j = cutIndex[to];
      if (i < 0 || j < 0 || j <= i) {
        throw new IllegalArgumentException(
            "stage [" + from + "," + to + ") does not run between cut points");
      }
      StageTable t = stages[i][j];
      if (t == null) {
        if (ends[j] == null) {
          ends[j] = new EndTable(model, to);
        }
        t = ends[j].stage(model, from);
        stages[i][j] = t;
      }
      return t;
    }
  }

  /** Computed-row starts and ends at every node before one stage end, for every band edge. */
  private static final class EndTable {
    final int to;
    final int rows;
    final int[][] start;
    final int[][] end;

    EndTable(ModelSpec model, int to) {
      this.to = to;
      Stage whole = new Stage(1, to);
      rows = model.shape(to - 1).height();
      start = new int[to][rows + 1];
      end = new int[to][rows + 1];
      StageGeometry single = StageGeometry.of(model, whole, List.of(new RowRange(0, rows)));
      for (int n = 0; n < to; n++) {
        RowRange r = single.computed(0, n);
        start[n][0] = r == null ? 0 : r.start();
        end[n][rows] = r == null ? 0 : r.end();
      }
      for (int p = 1; p < rows; p++) {
        StageGeometry two =
            StageGeometry.of(model, whole, List.of(new RowRange(0, p), new RowRange(p, rows)));
        for (int n = 0; n < to; n++) {
          RowRange upper = two.computed(0, n);
          RowRange lower = two.computed(1, n);
          end[n][p] = upper == null ? 0 : upper.end();
          start[n][p] = lower == null ? 0 : lower.start();
        }
      }
      for (int n = 0; n < to; n++) {
        start[n][rows] = end[n][rows];
        end[n][0] = start[n][0];
      }
    }

    StageTable stage(ModelSpec model, int from) {
      double[] a = new double[rows + 1];
      double[] b = new double[rows + 1];
      List<Integer> sources = ModelCost.reductions(model, from, to);
      double reduceBytes = 0;
      for (int source : sources) {
        reduceBytes += model.shape(source).channels() * 2 * 8.0;
      }
      for (int n = from; n < to; n++) {
        double perRow = ModelCost.macsForRows(model, n, 1);
        if (perRow != 0) {
          for (int x = 0; x <= rows; x++) {
            a[x] += perRow * end[n][x];
            b[x] += perRow * start[n][x];
          }
        }
      }
      TensorShape in = model.shape(from - 1);
      double peerRowBytes = 4.0 * in.width() * in.channels();
      double imageRowBytes = from == 1 ? in.width() * in.channels() : 0;
      return new StageTable(
          new Stage(from, to),
          rows,
          a,
          b,
          end[from - 1].clone(),
          start[from - 1].clone(),
          imageRowBytes,
          0,
          sources.size(),
          Segment.runs(model, new Stage(from, to)),
          reduceBytes,
          peerRowBytes,
          to == model.size());
    }
  }
}
