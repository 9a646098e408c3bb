package io.edgedi.planner;

/**
 * Observes the planner without slowing it: called on the orchestration thread, so
 * implementations only hand the value on (queue, counter) and never block or throw.
 */
public interface PlannerListener {
  /** A frame was classified and published. */
  default void onClassified(FrameReport report) {}

  /** A frame attempt failed; {@code willRetry} says whether it is planned again. */
  default void onFrameFailed(String frameId, String reason, boolean willRetry) {}

  /** Input was rejected with the given reason code (also sent to the error topic). */
  default void onRejected(String reason) {}
}
