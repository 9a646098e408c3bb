package io.edgedi.camera;

import io.edgedi.schemas.codec.RejectReason;

/**
 * Where the gateway reports inputs it could not publish. Shaped like {@link
 * io.edgedi.transport.DeadLetters#report}, so {@code deadLetters::report} is one. Implementations
 * must not throw.
 */
@FunctionalInterface
public interface ErrorReporter {
  /**
   * @param reason the Error's reason code
   * @param payloadId the frame id, or the source file when no frame was made
   * @param topic the topic concerned, or null
   */
  void report(
      RejectReason reason, String message, String payloadId, String topic, int payloadBytes);
}
