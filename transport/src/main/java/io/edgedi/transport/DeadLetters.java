package io.edgedi.transport;

import io.edgedi.schemas.codec.MessageCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports input a component cannot use: logged, counted by reason, and published as an Error
 * message on {@code edgedi/v1/{site}/errors/{component}} so operators see it. Never throws.
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final MessageCodec<io.edgedi.schemas.Error> CODEC =
      new MessageCodec<>(io.edgedi.schemas.Error.class, 1 << 20);

  private final MqttLink link;
  private final Topics topics;
  private final String component;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  public DeadLetters(MqttLink link, Topics topics, String component) {
    this.link = link;
    this.topics = topics;
    this.component = component;
  }

  /**
   * @param reason a stable code, e.g. MALFORMED, WRONG_SIZE, NOT_FINITE, UNKNOWN_FRAME
   * @param payloadId the frame or tile id if it could be read
   */
  public void report(String reason, String message, String payloadId, String topic, int payloadBytes) {
    counts.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    LOG.warn("{} rejected input on {} ({}, id {}, {} bytes): {}", component, topic, reason, payloadId,
        payloadBytes, message);
    try {
      io.edgedi.schemas.Error e = io.edgedi.schemas.Error.newBuilder()
          .setComponent(component).setSentAtMicros(Clock.micros()).setReason(reason)
          .setMessage(message == null ? reason : message).setPayloadId(payloadId).setTopic(topic)
          .setPayloadBytes(payloadBytes).build();
      link.publish(topics.errors(component), CODEC.encode(e), false);
    } catch (Exception ex) {
      LOG.warn("{}: could not publish error report: {}", component, ex.toString());
    }
  }

  public long count(String reason) {
    AtomicLong c = counts.get(reason);
    return c == null ? 0 : c.get();
  }

  public long total() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public Map<String, Long> counts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
