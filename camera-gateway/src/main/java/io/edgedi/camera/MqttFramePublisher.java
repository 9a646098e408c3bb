package io.edgedi.camera;

import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.util.Objects;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Publishes frames as Avro on {@code edgedi/v1/{site}/{line}/frames/{camera}}, QoS 1, not retained,
 * blocking until the broker acknowledges. The link is the caller's: connected before and closed
 * after by whoever made it.
 */
public final class MqttFramePublisher implements FramePublisher {
  private static final MessageCodec<Frame> CODEC = Wire.FRAME.codec();

  private final MqttLink link;
  private final Topics topics;

  public MqttFramePublisher(MqttLink link, Topics topics) {
    this.link = Objects.requireNonNull(link, "link");
    this.topics = Objects.requireNonNull(topics, "topics");
  }

  @Override
  public void publish(Frame frame) throws MqttException {
    byte[] payload = CODEC.encode(frame);
    // Refused here rather than by every planner: the camera's error topic names the source.
    if (payload.length > CODEC.maxPayloadBytes()) {
      throw new IllegalArgumentException(
          "frame "
              + frame.getFrameId()
              + " encodes to "
              + payload.length
              + " bytes, more than a frame may have ("
              + CODEC.maxPayloadBytes()
              + ")");
    }
    link.publish(destination(frame), payload, false);
  }

  @Override
  public String destination(Frame frame) {
    return topics.frames(frame.getLine(), frame.getCamera());
  }
}
