package io.edgedi.camera;

import io.edgedi.schemas.Frame;

/** Delivers frames; {@link MqttFramePublisher} in production, fakes in tests. */
@FunctionalInterface
public interface FramePublisher {
  /**
   * Delivers one frame and returns once it is safely handed over (for MQTT: the broker's QoS 1
   * acknowledgement).
   *
   * @throws IllegalArgumentException if this frame can never be delivered (too large, invalid); the
   *     gateway reports it instead of retrying
   * @throws Exception any other failure; the gateway retries the same frame
   */
  void publish(Frame frame) throws Exception;

  /** Where a frame goes, for error reports; null if there is no such name. */
  default String destination(Frame frame) {
    return null;
  }
}
