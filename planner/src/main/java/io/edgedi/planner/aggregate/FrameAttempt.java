package io.edgedi.planner.aggregate;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.StageCost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of a frame on a set of workers: which workers take part, their results as they come, and,
 * once every worker has answered, the head's input. A worker's result is checked against the plan:
 * the bands it reports and the trunk rows it summed must be its own. Several attempts of a frame
 * may run at once (a straggler's frame is run again elsewhere); the first complete wins. Confined
 * to the frame's orchestration thread.
 */
final class FrameAttempt {
  final int number;
  final FramePlan plan;
  final long deadlineNanos;
  final long startedMicros = io.edgedi.transport.Clock.micros();
  private final ModelSpec model;
  private final List<StageGeometry> geometry = new ArrayList<>();
  private final Set<String> workers = new LinkedHashSet<>();
  private final Map<String, BandResult> results = new HashMap<>();
  private final Map<String, Long> sentMicros = new HashMap<>();
  private boolean abandoned;
  private boolean speculated;
  private boolean unsent;

  FrameAttempt(int number, FramePlan plan, ModelSpec model, long deadlineNanos) {
    this.number = number;
    this.plan = plan;
    this.model = model;
    this.deadlineNanos = deadlineNanos;
    for (AssignedStage s : plan.stages()) {
      geometry.add(StageGeometry.of(model, s.stage(), s.bands()));
      workers.addAll(s.workers());
    }
  }

  /** The task to {@code worker} is going out now. */
  void sending(String worker) {
    sentMicros.put(worker, io.edgedi.transport.Clock.micros());
  }

  /** When the task to {@code worker} went out (the attempt's start if unknown). */
  long sentMicros(String worker) {
    return sentMicros.getOrDefault(worker, startedMicros);
  }

  /** Every worker with a band in some stage, in order of first appearance. */
  Set<String> workers() {
    return workers;
  }

  StageGeometry geometry(int stage) {
    return geometry.get(stage);
  }

  /**
   * Takes one worker's result. Throws {@link IllegalArgumentException} with the reason when it does
   * not fit this attempt.
   */
  void accept(BandResult r) {
    String w = r.getWorkerId();
    if (!workers.contains(w)) {
      throw new IllegalArgumentException("worker " + w + " has no band in attempt " + number);
    }
    if (results.containsKey(w)) {
      throw new IllegalArgumentException("worker " + w + " answered attempt " + number + " twice");
    }
    for (StageCost c : r.getStages()) {
      int s = c.getStageIndex();
      if (s < 0
          || s >= plan.stages().size()
          || plan.stages().get(s).workers().indexOf(w) != c.getBandIndex()) {
        throw new IllegalArgumentException(
            "worker "
                + w
                + " reports band "
                + c.getBandIndex()
                + " of stage "
                + s
                + ", not its own");
      }
    }
    int last = plan.stages().size() - 1;
    int band = plan.stages().get(last).workers().indexOf(w);
    if (band >= 0) {
      RowRange rows = plan.stages().get(last).bands().get(band);
      int channels = model.shape(model.lastNode()).channels();
      if (r.getHeadRowStart() != rows.start()
          || r.getHeadRowEnd() != rows.end()
          || r.getHeadSums().size() != channels) {
        throw new IllegalArgumentException(
            "worker "
                + w
                + " summed trunk rows ["
                + r.getHeadRowStart()
                + ","
                + r.getHeadRowEnd()
                + ") in "
                + r.getHeadSums().size()
                + " channels; its band is "
                + rows
                + " of "
                + channels);
      }
      for (double v : r.getHeadSums()) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("worker " + w + " sent a head sum of " + v);
        }
      }
    } else if (!r.getHeadSums().isEmpty()) {
      throw new IllegalArgumentException("worker " + w + " has no trunk band but sent head sums");
    }
    results.put(w, r);
  }

  boolean complete() {
    return results.size() == workers.size();
  }

  /** The whole trunk output's per-channel sums: the last stage's bands added in band order. */
  double[] headSums() {
    double[] total = new double[model.shape(model.lastNode()).channels()];
    for (String w : plan.stages().get(plan.stages().size() - 1).workers()) {
      List<Double> part = results.get(w).getHeadSums();
      for (int i = 0; i < total.length; i++) {
        total[i] += part.get(i);
      }
    }
    return total;
  }

  /** Per stage, each band's compute time (band order). */
  List<long[]> bandComputeMicros() {
    List<long[]> out = new ArrayList<>();
    for (AssignedStage s : plan.stages()) {
      out.add(new long[s.bands().size()]);
    }
    for (BandResult r : results.values()) {
      for (StageCost c : r.getStages()) {
        out.get(c.getStageIndex())[c.getBandIndex()] = c.getComputeMicros();
      }
    }
    return out;
  }

  /**
   * The attention reduces of the split stages. A round's cost beyond computing is what the band
   * that finished its compute last still waited (the others' longer waits were the slow band).
   */
  List<ReduceRound> reduceRounds() {
    List<ReduceRound> out = new ArrayList<>();
    for (int s = 0; s < plan.stages().size(); s++) {
      if (plan.stages().get(s).bands().size() < 2) {
        continue;
      }
      List<StageCost> bands = new ArrayList<>();
      for (BandResult r : results.values()) {
        for (StageCost c : r.getStages()) {
          if (c.getStageIndex() == s) {
            bands.add(c);
          }
        }
      }
      int rounds = bands.stream().mapToInt(c -> c.getRoundWaitMicros().size()).min().orElse(0);
      for (int i = 0; i < rounds; i++) {
        long slowest = 0;
        long wait = Long.MAX_VALUE;
        for (StageCost c : bands) {
          slowest = Math.max(slowest, c.getRoundComputeMicros().get(i));
          wait = Math.min(wait, c.getRoundWaitMicros().get(i));
        }
        out.add(new ReduceRound(slowest + wait, slowest));
      }
    }
    return out;
  }

  /** Workers whose result has not arrived. */
  List<String> pendingWorkers() {
    List<String> out = new ArrayList<>();
    for (String w : workers) {
      if (!results.containsKey(w)) {
        out.add(w);
      }
    }
    return out;
  }

  void abandon() {
    abandoned = true;
  }

  /** Abandoned because its tasks could not be sent (link down): does not count as a try. */
  void abandonUnsent() {
    abandoned = true;
    unsent = true;
  }

  boolean unsent() {
    return unsent;
  }

  boolean abandoned() {
    return abandoned;
  }

  /** Marks that another attempt was started because this one ran past its deadline. */
  boolean speculate() {
    boolean first = !speculated;
    speculated = true;
    return first;
  }
}
