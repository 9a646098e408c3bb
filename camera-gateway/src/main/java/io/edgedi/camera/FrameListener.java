package io.edgedi.camera;

import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.RejectReason;

/**
 * Told what the gateway did, on the gateway's thread, e.g. so a demo can keep the images and labels
 * it sent. Exceptions are logged and otherwise ignored; keep handlers short.
 */
@FunctionalInterface
public interface FrameListener {
  /** After the broker acknowledged the frame. Do not modify it. */
  void onPublished(Frame frame);

  /**
   * After a source error or an unpublishable frame was reported.
   *
   * @param origin the source file, or the frame id for a frame that could not be published
   */
  default void onRejected(RejectReason reason, String message, String origin) {}
}
