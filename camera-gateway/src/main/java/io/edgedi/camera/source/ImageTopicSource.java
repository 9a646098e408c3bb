package io.edgedi.camera.source;

import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.MqttLink;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Images that smart cameras publish themselves on an MQTT topic ({@code
 * edgedi/v1/{site}/{line}/images/{camera}}: the encoded bytes of one JPEG, PNG or BMP).
 *
 * <p>Each message becomes a {@link SourceImage}, or a {@link SourceError} when it is over the byte
 * limit ({@link SourceError#TOO_LARGE}, not decoded at all), over the pixel limit, or undecodable:
 * the gateway turns those into dead letters and goes on. A message is acknowledged to the broker
 * only when the gateway is {@linkplain #done done} with its image (or at once for an error), so
 * with a persistent session an image not yet published when the gateway dies is delivered again.
 * The queue between Paho's callback thread and the gateway is bounded: when the line outruns the
 * gateway, the callback waits and the broker's flow control holds the cameras back; nothing is
 * dropped here.
 */
public final class ImageTopicSource implements FrameSource {

  private record Received(SourceItem item, MqttLink.Delivery delivery) {}

  private final MqttLink link;
  private final String topic;
  private final ImageLoader loader;
  private final int maxBytes;
  private final long maxPixels;
  private final BlockingQueue<Received> queue;
  private final Map<String, MqttLink.Delivery> unacknowledged = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param link connected, with manual acknowledgements ({@code new MqttLink(settings, true)}); the
   *     caller's, not closed here
   * @param topic the image topic (or filter) to subscribe to
   * @param maxBytes larger payloads are refused undecoded
   * @param maxPixels larger images are refused after reading only their header
   */
  public ImageTopicSource(
      MqttLink link,
      String topic,
      ImageLoader loader,
      int maxBytes,
      long maxPixels,
      int queueCapacity) {
    this.link = Objects.requireNonNull(link, "link");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.loader = Objects.requireNonNull(loader, "loader");
    if (maxBytes <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxBytes = maxBytes;
    this.maxPixels = maxPixels;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
  }

  /**
   * Registers the message handler without subscribing. Call it before the link connects when the
   * session is persistent: the broker sends queued images right after CONNACK.
   */
  public ImageTopicSource register() {
    link.handle(topic, this::onMessage);
    return this;
  }

  /** Subscribes (registering the handler if needed); images arrive from now on. */
  public ImageTopicSource start() throws MqttException {
    link.subscribeAcked(topic, this::onMessage);
    return this;
  }

  private void onMessage(String from, byte[] payload, MqttLink.Delivery delivery) {
    String origin = from + "#" + received.incrementAndGet();
    SourceItem item =
        payload.length > maxBytes
            ? new SourceError(
                origin,
                RejectReason.TOO_LARGE,
                origin + " has " + payload.length + " bytes, more than " + maxBytes,
                payload.length)
            : loader.load(payload, origin, null, maxPixels);
    try {
      while (!closed) {
        if (queue.offer(new Received(item, delivery), 200, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // closed before the gateway took it: left unacknowledged, the broker delivers it again
  }

  @Override
  public Optional<SourceItem> next() throws InterruptedException {
    while (!closed) {
      Received r = queue.poll(200, TimeUnit.MILLISECONDS);
      if (r == null) {
        continue;
      }
      if (r.item() instanceof SourceImage image) {
        unacknowledged.put(image.origin(), r.delivery());
      } else {
        r.delivery().ack(); // the gateway reports it now; redelivering it would not help
      }
      return Optional.of(r.item());
    }
    return Optional.empty();
  }

  @Override
  public void done(SourceImage image, boolean published) {
    MqttLink.Delivery delivery = unacknowledged.remove(image.origin());
    if (delivery != null) {
      delivery.ack();
    }
  }

  /** Messages received so far, good or bad. */
  public long received() {
    return received.get();
  }

  @Override
  public void close() {
    closed = true;
  }
}
