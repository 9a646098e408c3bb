package io.edgedi.camera;

import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import java.util.Objects;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Publishes frames as Avro on {@code edgedi/v1/{site}/{line}/frames/{camera}}, QoS 1, not retained,
 * blocking until the broker acknowledges. The link is the caller's: connected before and closed
 * after by whoever made it.
 */
public final class MqttFramePublisher implements FramePublisher {
    /** The broker refuses larger packets (broker-config's config.xml: 16 MB); leave room for headers. */
    public static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024 - 64 * 1024;

    private static final MessageCodec<Frame> CODEC = new MessageCodec<>(Frame.class, MAX_PAYLOAD_BYTES);

    private final MqttLink link;
    private final Topics topics;

    public MqttFramePublisher(MqttLink link, Topics topics) {
        this.link = Objects.requireNonNull(link, "link");
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    @Override
    public void publish(Frame frame) throws MqttException {
        byte[] payload = CODEC.encode(frame);
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("frame " + frame.getFrameId() + " encodes to " + payload.length
                    + " bytes, more than the broker accepts (" + MAX_PAYLOAD_BYTES + ")");
        }
        link.publish(destination(frame), payload, false);
    }

    @Override
    public String destination(Frame frame) {
        return topics.frames(frame.getLine(), frame.getCamera());
    }
}
