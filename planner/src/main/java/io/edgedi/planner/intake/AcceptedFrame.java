package io.edgedi.planner.intake;

import io.edgedi.schemas.Frame;
import java.nio.file.Path;

/**
 * A frame the planner took on: valid, not seen before, and (with a spool) on disk. {@code line}
 * and {@code camera} are those of the topic it came on (equal to the frame's own, checked);
 * {@code spooled} is its spool file, null without a spool. {@code mayRepeat}: taken on while
 * another planner was active, so that planner may have published its classification already
 * (docs/decisions/004-planner-failover.md). Immutable; handed from the intake through the queue
 * to whichever frame thread settles it.
 */
public record AcceptedFrame(Frame frame, String line, String camera, long receivedAtMicros, Path spooled,
                            boolean mayRepeat) {
  public AcceptedFrame(Frame frame, String line, String camera, long receivedAtMicros, Path spooled) {
    this(frame, line, camera, receivedAtMicros, spooled, false);
  }

  public String frameId() {
    return frame.getFrameId();
  }

  /** The same frame, marked as one another planner may have classified. */
  public AcceptedFrame asMayRepeat() {
    return new AcceptedFrame(frame, line, camera, receivedAtMicros, spooled, true);
  }
}
