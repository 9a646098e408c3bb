package io.edgedi.transport;

import io.edgedi.schemas.codec.MessageCodec;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One message type on the wire: its codec, the topic it travels on and the largest payload a reader
 * decodes. The instances are the constants of {@link Wire}.
 *
 * @param <T> the generated message class
 */
public final class WireMessage<T extends SpecificRecord> {
  private final String topicPattern;
  private final MessageCodec<T> codec;

  WireMessage(Class<T> type, String topicPattern, int maxPayloadBytes) {
    this.topicPattern = Objects.requireNonNull(topicPattern, "topicPattern");
    this.codec = new MessageCodec<>(type, maxPayloadBytes);
  }

  public Class<T> type() {
    return codec.type();
  }

  /**
   * The topic with its variable levels in braces, e.g. {@code edgedi/v1/{site}/plans}; {@link
   * Topics} builds them.
   */
  public String topicPattern() {
    return topicPattern;
  }

  public int maxPayloadBytes() {
    return codec.maxPayloadBytes();
  }

  /** The shared codec (thread-safe), refusing payloads over {@link #maxPayloadBytes()}. */
  public MessageCodec<T> codec() {
    return codec;
  }

  /**
   * A codec with another payload limit, for a component an operator configured apart from the site.
   */
  public MessageCodec<T> codec(int maxPayloadBytes) {
    return maxPayloadBytes == codec.maxPayloadBytes()
        ? codec
        : new MessageCodec<>(codec.type(), maxPayloadBytes);
  }

  @Override
  public String toString() {
    return codec.type().getSimpleName()
        + " on "
        + topicPattern
        + " (at most "
        + maxPayloadBytes()
        + " bytes)";
  }
}
