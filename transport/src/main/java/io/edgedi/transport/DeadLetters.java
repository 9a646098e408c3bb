package io.edgedi.transport;

import io.edgedi.schemas.codec.RejectReason;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports input a component cannot use: logged, counted by reason, and published as an Error
 * message on {@code edgedi/v1/{site}/errors/{component}} so operators see it. Never throws and
 * never blocks: the Error goes out from a thread of its own, because reports come from Paho's
 * callback threads, and a callback thread waiting for a PUBACK while a burst of queued messages
 * fills Paho's inbound queue deadlocked a planner's connection (measured: a restarted standby
 * rejecting the band results its previous run left queued, until the keep-alive timed out).
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final MqttLink link;
  private final Topics topics;
  private final String component;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final java.util.concurrent.ExecutorService sender;

  public DeadLetters(MqttLink link, Topics topics, String component) {
    this.link = link;
    this.topics = topics;
    this.component = component;
    // One sender thread, a bounded backlog: a flood of bad input costs error reports (logged and
    // counted all the same), never memory.
    this.sender =
        new java.util.concurrent.ThreadPoolExecutor(
            1,
            1,
            0,
            java.util.concurrent.TimeUnit.MILLISECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(1_000),
            r -> {
              Thread t = new Thread(r, component + "-dead-letters");
              t.setDaemon(true);
              return t;
            },
            (r, pool) ->
                LOG.warn(
                    "{}: error report dropped, {} still waiting to go out",
                    component,
                    pool.getQueue().size()));
  }

  /**
   * @param reason the Error's reason code
   * @param payloadId the frame or tile id if it could be read
   */
  public void report(
      RejectReason reason,
      @Nullable String message,
      @Nullable String payloadId,
      String topic,
      int payloadBytes) {
    counts.computeIfAbsent(reason.name(), r -> new AtomicLong()).incrementAndGet();
    LOG.warn(
        "{} rejected input on {} ({}, id {}, {} bytes): {}",
        component,
        topic,
        reason,
        payloadId,
        payloadBytes,
        message);
    byte[] error =
        Wire.ERROR
            .codec()
            .encode(
                io.edgedi.schemas.Error.newBuilder()
                    .setComponent(component)
                    .setSentAtMicros(Clock.micros())
                    .setReason(reason.name())
                    .setMessage(message == null ? reason.name() : message)
                    .setPayloadId(payloadId)
                    .setTopic(topic)
                    .setPayloadBytes(payloadBytes)
                    .build());
    sender.execute(
        () -> {
          try {
            link.publish(topics.errors(component), error, false);
          } catch (Exception ex) {
            LOG.warn("{}: could not publish error report: {}", component, ex.toString());
          }
        });
  }

  public long count(RejectReason reason) {
    AtomicLong c = counts.get(reason.name());
    return c == null ? 0 : c.get();
  }

  public long total() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Counts by the reason codes' wire strings. */
  public Map<String, Long> counts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
