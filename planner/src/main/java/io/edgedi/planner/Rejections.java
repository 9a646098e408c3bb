package io.edgedi.planner;

/**
 * Where the planner's rooms report input they will not use. The planner's implementation sends
 * it to the dead letters (log line, counter, {@code Error} on the errors topic) and tells the
 * listeners; tests record it. Called from Paho's callback threads and the frame threads, so
 * implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface Rejections {
  /**
   * @param reason the stable reason code of the error topic (WRONG_SIZE, DUPLICATE_FRAME, ...)
   * @param payloadId the frame id if it could be read, else null
   */
  void reject(String reason, String message, String payloadId, String topic, int payloadBytes);
}
