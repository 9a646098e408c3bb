package io.edgedi.planner;

import io.edgedi.schemas.codec.RejectReason;

/**
 * Observes the planner without slowing it: called on the frame threads (orchestrator, lanes) and,
 * for rejections, on Paho's callback threads, so implementations only hand the value on (queue,
 * counter), never block, and are thread-safe.
 */
public interface PlannerListener {
  /** A frame was classified and published. */
  default void onClassified(FrameReport report) {}

  /** A frame attempt failed; {@code willRetry} says whether it is planned again. */
  default void onFrameFailed(String frameId, String reason, boolean willRetry) {}

  /** Input was rejected for this reason (also sent to the error topic). */
  default void onRejected(RejectReason reason) {}

  /**
   * This planner became the site's active planner ({@code active}, under {@code epoch}) or stopped
   * being it.
   */
  default void onLeaseChanged(boolean active, long epoch) {}
}
