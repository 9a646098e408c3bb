package io.edgedi.planner.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a free lane of a worker group should take the next queued frame. Lanes pull frames
 * greedily, which is right while the queue is long; near its end a slow group (a Pi 3B alone needs
 * 4x the time of a Pi 4) that takes one of the last frames finishes it long after the faster groups
 * ran out of work, and the queue empties later than if it had left that frame to them. The rule is
 * the list schedule {@link QueuePlanner} predicts with: a group takes the frame if it would finish
 * a new frame first of all groups, or if the other groups could not finish everything still queued
 * before it would.
 *
 * <p>A group's work in hand is the predicted frame time minus the elapsed time of each frame it
 * runs (its lanes share the group's workers, so they are counted one after the other). Thread-safe:
 * every lane of a session shares one instance.
 */
public final class QueueTail {
  private final double[] frameMillis;
  private final List<List<Long>> startedNanos = new ArrayList<>();

  /**
   * @param frameMillis each group's predicted time for one whole frame
   */
  public QueueTail(List<Double> frameMillis) {
    this.frameMillis = new double[frameMillis.size()];
    for (int i = 0; i < this.frameMillis.length; i++) {
      double t = frameMillis.get(i);
      if (!(t > 0) || Double.isInfinite(t)) {
        throw new IllegalArgumentException("group " + i + " frame time " + t);
      }
      this.frameMillis[i] = t;
      startedNanos.add(new ArrayList<>());
    }
  }

  /**
   * A lane of {@code group} took a frame at {@code nowNanos}; returns the token for {@link
   * #finish}.
   */
  public synchronized long start(int group, long nowNanos) {
    startedNanos.get(group).add(nowNanos);
    return nowNanos;
  }

  public synchronized void finish(int group, long token) {
    startedNanos.get(group).remove(Long.valueOf(token));
  }

  /**
   * True if a lane of {@code group} should take the next frame now, with {@code queued} frames
   * (that one included) waiting.
   */
  public synchronized boolean shouldTake(int group, int queued, long nowNanos) {
    int n = frameMillis.length;
    if (n == 1 || queued <= 0) {
      return queued > 0;
    }
    double[] inHand = new double[n];
    double earliest = Double.POSITIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      for (long started : startedNanos.get(j)) {
        inHand[j] += Math.max(0, frameMillis[j] - (nowNanos - started) / 1e6);
      }
      earliest = Math.min(earliest, inHand[j] + frameMillis[j]);
    }
    double finish = inHand[group] + frameMillis[group];
    if (finish <= earliest) {
      return true;
    }
    long others = 0;
    for (int j = 0; j < n; j++) {
      if (j != group && finish > inHand[j]) {
        // Frames group j completes strictly before this group would finish its new one.
        others += (long) Math.ceil((finish - inHand[j]) / frameMillis[j]) - 1;
      }
    }
    return others < queued;
  }
}
