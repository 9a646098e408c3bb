package io.edgedi.planner.plan;

/**
 * What frames really took against what the cost model predicted for their plans, kept apart for
 * plans that split a frame over several workers and plans that keep it on one. The cost model
 * prices compute, TF runs, message latencies and bytes; what it leaves out (copies of maps in and
 * out of TensorFlow, messaging work on a slow device, waiting at every stage for the slowest band)
 * falls almost only on split plans, so the two ratios tell how far to trust a split's prediction
 * against keeping the frame on one worker. Exponentially smoothed; thread-safe.
 */
public final class PlanOutcomes {
  static final double ALPHA = 0.3;
  private static final double MIN_RATIO = 0.25;
  private static final double MAX_RATIO = 20;
  private double split = 1;
  private double alone = 1;
  private long splitFrames;
  private long aloneFrames;

  /** A frame ran its plan in {@code measuredMillis}, from tasks out to the last result in. */
  public synchronized void record(FramePlan plan, double measuredMillis) {
    double predicted = predictedMillis(plan);
    if (!(predicted > 0) || !(measuredMillis > 0)) {
      return;
    }
    double ratio = Math.max(MIN_RATIO, Math.min(MAX_RATIO, measuredMillis / predicted));
    if (isSplit(plan)) {
      split = splitFrames == 0 ? ratio : (1 - ALPHA) * split + ALPHA * ratio;
      splitFrames++;
    } else {
      alone = aloneFrames == 0 ? ratio : (1 - ALPHA) * alone + ALPHA * ratio;
      aloneFrames++;
    }
  }

  /** Measured over predicted for split plans (1 before any). */
  public synchronized double splitRatio() {
    return split;
  }

  /** Measured over predicted for one-worker plans (1 before any). */
  public synchronized double aloneRatio() {
    return alone;
  }

  public static boolean isSplit(FramePlan plan) {
    return plan.stages().stream().flatMap(s -> s.workers().stream()).distinct().count() > 1;
  }

  /** Every stage takes its slowest band. */
  public static double predictedMillis(FramePlan plan) {
    double sum = 0;
    for (AssignedStage s : plan.stages()) {
      sum += s.predictedMillis().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
    return sum;
  }
}
