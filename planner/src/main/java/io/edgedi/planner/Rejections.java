package io.edgedi.planner;

import io.edgedi.schemas.codec.RejectReason;

/**
 * Where the planner's rooms report input they will not use. The planner's implementation sends it
 * to the dead letters (log line, counter, {@code Error} on the errors topic) and tells the
 * listeners; tests record it. Called from Paho's callback threads and the frame threads, so
 * implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface Rejections {
  /**
   * @param reason the reason code of the error topic
   * @param payloadId the frame id if it could be read, else null
   */
  void reject(
      RejectReason reason, String message, String payloadId, String topic, int payloadBytes);
}
