package io.edgedi.planner.intake;

import io.edgedi.schemas.Frame;
import java.nio.file.Path;

/**
 * A frame the planner took on: valid, not seen before, and (with a spool) on disk. {@code line}
 * and {@code camera} are those of the topic it came on (equal to the frame's own, checked);
 * {@code spooled} is its spool file, null without a spool. Immutable; handed from the intake
 * through the queue to whichever frame thread settles it.
 */
public record AcceptedFrame(Frame frame, String line, String camera, long receivedAtMicros, Path spooled) {
  public String frameId() {
    return frame.getFrameId();
  }
}
