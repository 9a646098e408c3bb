package io.edgedi.planner.plan;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Throughput when frames queue up: split every frame across all workers, or give whole frames to
 * disjoint groups of workers that run side by side (one frame per group at a time)?
 *
 * <p>For each candidate number of groups g (every g up to 12, then growing by half, up to the
 * number of workers and of queued frames) the workers, fastest first, each join the group with the
 * least total speed so far; each group's frame time is its {@link OptimalStrategy} plan's predicted
 * time ({@link PlanCost}); the queue's time is that of handing each frame to the group that would
 * finish it first. The fewest groups within 0.5% of the best time win (fewer groups, lower latency
 * per frame). Groups are assumed not to slow each other down (the leader and the broker are not
 * priced).
 */
public final class QueuePlanner {
  /**
   * The worker groups (one frame per group at a time) and the predicted time to empty the queue.
   */
  public record Choice(
      List<List<WorkerStatus>> groups, List<Double> groupFrameMillis, double makespanMillis) {
    public Choice {
      groups = groups.stream().map(List::copyOf).toList();
      groupFrameMillis = List.copyOf(groupFrameMillis);
    }
  }

  private static final double TIE = 0.005;

  private QueuePlanner() {}

  public static Choice choose(ModelSpec model, List<WorkerStatus> workers, int queuedFrames) {
    return choose(model, workers, queuedFrames, new OptimalStrategy());
  }

  public static Choice choose(
      ModelSpec model, List<WorkerStatus> workers, int queuedFrames, PartitionStrategy strategy) {
    List<WorkerStatus> usable = Heights.usable(workers);
    int frames = Math.max(1, queuedFrames);
    int maxGroups = Math.min(usable.size(), frames);
    Choice best = null;
    for (int g : candidates(maxGroups)) {
      Choice c = evaluate(model, usable, frames, g, strategy);
      if (best == null || c.makespanMillis() < best.makespanMillis() * (1 - TIE)) {
        best = c;
      }
    }
    return best;
  }

  /** The prediction for exactly {@code groups} groups. */
  public static Choice evaluate(
      ModelSpec model,
      List<WorkerStatus> workers,
      int queuedFrames,
      int groups,
      PartitionStrategy strategy) {
    List<WorkerStatus> sorted = new ArrayList<>(Heights.usable(workers));
    sorted.sort(
        Comparator.comparingDouble(WorkerStatus::secondsPerGflop)
            .thenComparing(WorkerStatus::workerId));
    List<List<WorkerStatus>> out = new ArrayList<>();
    double[] speed = new double[groups];
    for (int i = 0; i < groups; i++) {
      out.add(new ArrayList<>());
    }
    for (WorkerStatus w : sorted) {
      int least = 0;
      for (int i = 1; i < groups; i++) {
        if (speed[i] < speed[least]) {
          least = i;
        }
      }
      out.get(least).add(w);
      speed[least] += w.gflopsPerSecond();
    }
    PlanCost cost = new PlanCost();
    List<Double> frameMillis = new ArrayList<>();
    for (List<WorkerStatus> group : out) {
      group.sort(Comparator.comparing(WorkerStatus::workerId));
      FramePlan plan = strategy.plan("queue", model, group);
      frameMillis.add(strategy.expectedMillis(plan, cost.frameMillis(model, plan, group)));
    }
    double[] busyUntil = new double[groups];
    double makespan = 0;
    for (int f = 0; f < Math.max(1, queuedFrames); f++) {
      int pick = 0;
      for (int i = 1; i < groups; i++) {
        if (busyUntil[i] + frameMillis.get(i) < busyUntil[pick] + frameMillis.get(pick)) {
          pick = i;
        }
      }
      busyUntil[pick] += frameMillis.get(pick);
      makespan = Math.max(makespan, busyUntil[pick]);
    }
    return new Choice(out, frameMillis, makespan);
  }

  private static List<Integer> candidates(int max) {
    TreeSet<Integer> out = new TreeSet<>();
    for (int g = 1; g <= Math.min(12, max); g++) {
      out.add(g);
    }
    for (double g = 12; g < max; g *= 1.5) {
      out.add((int) Math.ceil(g));
    }
    out.add(max);
    out.removeIf(g -> g > max);
    return new ArrayList<>(out);
  }
}
