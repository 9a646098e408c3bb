package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The planners' cost model, in milliseconds, for the worker-to-worker data plane: the planner sends
 * each worker of the first stage its image rows, workers keep their bands between stages and
 * exchange only halo rows with their neighbours, all-reduce attention sums among themselves, and
 * send the planner the trunk output's per-channel sums.
 *
 * <p>A band {@code [s, e)} of a stage on worker w costs
 *
 * <pre>
 *   compute  = 2 * MACs(band incl. halo) * secondsPerFlop(w)          (StageGeometry's MACs)
 *   overhead = overheadMillis(w) * (1 + reduces in the stage)          (fixed, per TF run: a band
 *                                                                        pauses at every reduce)
 *   transfer = latency(w) * (1 + 1 if the stage is the last)           (its input arrives; the head's
 *                                                                        sums leave)
 *              + inputRows(band incl. halo) * imageRowBytes / bytesPerSecond(w)   (first stage only)
 *   split    = per reduce: latency(w) + its sums' bytes / bytesPerSecond(w)     (one hop: all-reduce)
 *              + haloBytes / bytesPerSecond(w)                         (later stages: rows from neighbours)
 *              none if the band is the whole stage
 * </pre>
 *
 * (latency is one way, per message; image rows are 8-bit, peer rows float32). A stage takes as long
 * as its slowest band, since every reduce and every halo exchange waits for all bands; a frame
 * takes the sum of its stages. Every term is non-decreasing in the band's end and non-increasing in
 * its start, which the optimal planner relies on.
 *
 * <p>Not modelled: the rows that change owner when a stage has other workers or band heights than
 * the one before (only the halo is priced), the broker's own queueing, and links shared by several
 * bands.
 */
public final class PlanCost {
  /** The parameters of one worker the cost model reads, in the units the inner loops want. */
  public record Rates(
      String workerId,
      double millisPerMac,
      double overheadMillis,
      double latencyMillis,
      double millisPerByte) {
    public static Rates of(WorkerStatus w) {
      if (!(w.secondsPerGflop() > 0) || Double.isInfinite(w.secondsPerGflop())) {
        throw new IllegalArgumentException(
            "worker " + w.workerId() + " has no usable speed: " + w.secondsPerGflop() + " s/GFLOP");
      }
      return new Rates(
          w.workerId(),
          2.0 * w.secondsPerGflop() / 1e9 * 1e3,
          Math.max(0, w.overheadMillis()),
          w.linkLatencyMillis(),
          1e3 / w.linkBytesPerSecond());
    }

    /**
     * Cost that does not depend on the band: overhead, message latencies, reduces and halo (an
     * upper bound: a band that is the whole stage has neither reduces nor halo, see {@link
     * #millis}).
     */
    double fixedMillis(StageTable t) {
      return runOverheadMillis(t) + latencyMillis * (t.last() ? 2 : 1) + splitMillis(t);
    }

    /** The per-run overhead of one band: one per TF run (segment) of the stage. */
    double runOverheadMillis(StageTable t) {
      return overheadMillis * t.runs();
    }

    /**
     * What only a split stage pays: one all-reduce hop per reduce, and the halo from neighbours.
     */
    double splitMillis(StageTable t) {
      return t.reduces() * latencyMillis + (t.reduceBytes() + t.haloBytes()) * millisPerByte;
    }

    /**
     * Total cost of band {@code [s, e)}. A worker that has the whole stage holds every row: no
     * all-reduce, no halo.
     */
    double millis(StageTable t, int s, int e) {
      return fixedMillis(t)
          - (s == 0 && e == t.rows() ? splitMillis(t) : 0)
          + millisPerMac * t.macs(s, e)
          + millisPerByte * (t.inputRows(s, e) * t.inRowBytes() + (e - s) * t.outRowBytes());
    }
  }

  /** One band's predicted time, by part ({@code splitMillis}: reduces and halo). */
  public record BandCost(
      double computeMillis, double overheadMillis, double transferMillis, double splitMillis) {
    public double totalMillis() {
      return computeMillis + overheadMillis + transferMillis + splitMillis;
    }
  }

  public PlanCost() {}

  public BandCost band(ModelSpec model, Stage stage, RowRange band, WorkerStatus worker) {
    StageTable t = StageTable.of(model, stage);
    check(t, band.start(), band.end());
    Rates r = Rates.of(worker);
    int s = band.start();
    int e = band.end();
    return new BandCost(
        r.millisPerMac() * t.macs(s, e),
        r.runOverheadMillis(t),
        r.latencyMillis() * (t.last() ? 2 : 1)
            + r.millisPerByte() * (t.inputRows(s, e) * t.inRowBytes() + (e - s) * t.outRowBytes()),
        s == 0 && e == t.rows() ? 0 : r.splitMillis(t));
  }

  public double bandMillis(ModelSpec model, Stage stage, RowRange band, WorkerStatus worker) {
    StageTable t = StageTable.of(model, stage);
    check(t, band.start(), band.end());
    return Rates.of(worker).millis(t, band.start(), band.end());
  }

  /** Predicted time of each band of an assigned stage, in band order. */
  public List<Double> bandMillis(
      ModelSpec model, AssignedStage stage, Collection<WorkerStatus> workers) {
    Map<String, WorkerStatus> byId = byId(workers);
    StageTable t = StageTable.of(model, stage.stage());
    List<Double> out = new ArrayList<>();
    for (int b = 0; b < stage.bands().size(); b++) {
      WorkerStatus w = byId.get(stage.workers().get(b));
      if (w == null) {
        throw new IllegalArgumentException(
            "worker " + stage.workers().get(b) + " is not among the workers");
      }
      RowRange band = stage.bands().get(b);
      check(t, band.start(), band.end());
      out.add(Rates.of(w).millis(t, band.start(), band.end()));
    }
    return out;
  }

  /** The slowest band of the stage. */
  public double stageMillis(
      ModelSpec model, AssignedStage stage, Collection<WorkerStatus> workers) {
    return bandMillis(model, stage, workers).stream()
        .mapToDouble(Double::doubleValue)
        .max()
        .orElse(0);
  }

  /** Sum of the stages' slowest bands. */
  public double frameMillis(ModelSpec model, FramePlan plan, Collection<WorkerStatus> workers) {
    double sum = 0;
    for (AssignedStage s : plan.stages()) {
      sum += stageMillis(model, s, workers);
    }
    return sum;
  }

  /** The same stage with this model's predictions. */
  public AssignedStage priced(
      ModelSpec model, AssignedStage stage, Collection<WorkerStatus> workers) {
    return new AssignedStage(
        stage.stage(), stage.bands(), stage.workers(), bandMillis(model, stage, workers));
  }

  /** The same plan with this model's predictions. */
  public FramePlan priced(ModelSpec model, FramePlan plan, Collection<WorkerStatus> workers) {
    List<AssignedStage> out = new ArrayList<>();
    for (AssignedStage s : plan.stages()) {
      out.add(priced(model, s, workers));
    }
    return new FramePlan(plan.planId(), plan.plannerName(), out);
  }

  static Map<String, WorkerStatus> byId(Collection<WorkerStatus> workers) {
    Map<String, WorkerStatus> out = new HashMap<>();
    for (WorkerStatus w : workers) {
      out.put(w.workerId(), w);
    }
    return out;
  }

  private static void check(StageTable t, int s, int e) {
    if (s < 0 || e > t.rows() || e <= s) {
      throw new IllegalArgumentException(
          "band [" + s + "," + e + ") outside the " + t.rows() + " rows of stage " + t.stage());
    }
  }
}
