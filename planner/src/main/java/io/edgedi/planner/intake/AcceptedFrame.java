package io.edgedi.planner.intake;

import io.edgedi.planner.window.WindowPart;
import io.edgedi.schemas.Frame;
import java.nio.file.Path;

/**
 * A frame the planner took on: valid, not seen before, and (with a spool) on disk. {@code line} and
 * {@code camera} are those of the topic it came on (equal to the frame's own, checked); {@code
 * spooled} is its spool file, null without a spool. {@code mayRepeat}: taken on while another
 * planner was active, so that planner may have published its classification already
 * (docs/decisions/004-planner-failover.md). {@code window}: set when this is one window of a frame
 * larger than the model input ({@code frame} then holds the window's pixels under the window's id),
 * null for a whole frame. Immutable; handed from the intake through the queue to whichever frame
 * thread settles it.
 */
public record AcceptedFrame(
    Frame frame,
    String line,
    String camera,
    long receivedAtMicros,
    Path spooled,
    boolean mayRepeat,
    WindowPart window) {
  public AcceptedFrame(
      Frame frame, String line, String camera, long receivedAtMicros, Path spooled) {
    this(frame, line, camera, receivedAtMicros, spooled, false, null);
  }

  public String frameId() {
    return frame.getFrameId();
  }

  /**
   * The id of the camera's frame: this one's, or for a window that of the frame it was cut from.
   */
  public String key() {
    return window == null ? frameId() : window.frame().frameId();
  }

  /** The same frame, marked as one another planner may have classified. */
  public AcceptedFrame asMayRepeat() {
    if (window != null) {
      window.frame().markMayRepeat();
    }
    return new AcceptedFrame(frame, line, camera, receivedAtMicros, spooled, true, window);
  }
}
