package io.edgedi.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One component's MQTT connection. Sets what was measured to matter here: TCP_NODELAY, in-memory
 * persistence (Paho's default writes files into the working directory), a persistent session so
 * queued QoS 1 messages survive a reconnect, automatic reconnect with re-subscription when the
 * broker lost the session, and QoS 1 for everything.
 *
 * <p>Thread-safe. Handlers run on Paho's callback thread and must only hand work on: publishing
 * from them would wait for an acknowledgement that the same thread has to deliver.
 */
public final class MqttLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
  private static final long SESSION_EXPIRY_SECONDS = 3600;

  private final MqttSettings settings;
  private final MqttClient client;
  private final Map<String, AckedHandler> handlers = new ConcurrentHashMap<>();
  private volatile Runnable onReconnect = () -> {};
  private volatile long downSinceMillis = -1;
  private final java.util.concurrent.atomic.AtomicInteger connection =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean closed;
  private @Nullable Thread watchdog;
  private final boolean manualAcks;

  /**
   * A received message whose acknowledgement the handler controls. With manual acks the broker
   * keeps (and after a reconnect redelivers) the message until {@link #ack()}.
   */
  public interface Delivery {
    /** True if the broker delivered this message before (it was not acknowledged then). */
    boolean redelivered();

    /** Acknowledges the message; safe from any thread, once. */
    void ack();
  }

  /** Handles a message and acknowledges it, now or later. */
  @FunctionalInterface
  public interface AckedHandler {
    void handle(String topic, byte[] payload, Delivery delivery);
  }

  /** A message this client leaves behind if it drops off without saying goodbye. */
  public record LastWill(String topic, byte[] payload, boolean retained) {}

  public MqttLink(MqttSettings settings) throws MqttException {
    this(settings, false);
  }

  /**
   * @param manualAcks acknowledge each message only when its handler says so (e.g. a frame once its
   *     classification is out). Measured here with Paho 1.2.5 and HiveMQ CE: while one message is
   *     unacknowledged the connection receives nothing else, so give such subscriptions a
   *     connection of their own.
   */
  public MqttLink(MqttSettings settings, boolean manualAcks) throws MqttException {
    this.settings = settings;
    this.manualAcks = manualAcks;
    this.client =
        new MqttClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
    client.setTimeToWait(30_000);
    client.setCallback(new Callback());
    client.setManualAcks(manualAcks);
  }

  public void connect(@Nullable LastWill will, boolean cleanStart) throws MqttException {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setServerURIs(new String[] {settings.brokerUrl()});
    if (settings.username() != null) {
      o.setUserName(settings.username());
    }
    if (settings.password() != null) {
      o.setPassword(
          new String(settings.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (settings.brokerUrl().startsWith("tcp://")) {
      o.setSocketFactory(NoDelaySocketFactory.instance());
    } else {
      o.setSocketFactory(TlsTrust.socketFactory());
    }
    o.setCleanStart(cleanStart);
    o.setSessionExpiryInterval(cleanStart ? 0L : SESSION_EXPIRY_SECONDS);
    o.setAutomaticReconnect(true);
    o.setAutomaticReconnectDelay(1, 5);
    o.setKeepAliveInterval(10);
    o.setConnectionTimeout(10);
    if (will != null) {
      MqttMessage m = new MqttMessage(will.payload());
      m.setQos(1);
      m.setRetained(will.retained());
      o.setWill(will.topic(), m);
    }
    client.connect(o);
    LOG.info("{} connected", settings);
    startWatchdog();
  }

  /**
   * Paho's automatic reconnect sometimes never comes back (measured here: after a broker restart
   * two of six clients, each busy publishing when the link dropped, stayed offline). If the link is
   * still down after a while, this nudges Paho to reconnect.
   */
  private void startWatchdog() {
    watchdog =
        new Thread(
            () -> {
              while (!closed) {
                try {
                  Thread.sleep(2_000);
                } catch (InterruptedException e) {
                  return;
                }
                long since = downSinceMillis;
                if (!closed
                    && !client.isConnected()
                    && since > 0
                    && System.currentTimeMillis() - since > 8_000) {
                  try {
                    LOG.info(
                        "{} still offline after {} ms, reconnecting",
                        settings.clientId(),
                        System.currentTimeMillis() - since);
                    client.reconnect();
                  } catch (MqttException e) {
                    LOG.debug("{}: reconnect: {}", settings.clientId(), e.toString());
                  }
                }
              }
            },
            settings.clientId() + "-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** Subscribes (QoS 1); each message is acknowledged as soon as the handler returns. */
  public void subscribe(String filter, BiConsumer<String, byte[]> handler) throws MqttException {
    subscribeAcked(
        filter,
        (topic, payload, delivery) -> {
          try {
            handler.accept(topic, payload);
          } finally {
            delivery.ack();
          }
        });
  }

  /**
   * Registers a handler without subscribing yet. With a persistent session the broker sends queued
   * messages right after CONNACK, before any SUBSCRIBE: register before {@link #connect} so that
   * none of them meets a missing handler.
   */
  public void handle(String filter, AckedHandler handler) {
    handlers.put(filter, handler);
  }

  /**
   * Subscribes (QoS 1); the handler acknowledges each message itself. Remembered for
   * re-subscription after a reconnect without a session.
   */
  public void subscribeAcked(String filter, AckedHandler handler) throws MqttException {
    handlers.put(filter, handler);
    IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)});
    int[] codes = token.getReasonCodes();
    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
      handlers.remove(filter);
      throw new MqttException(codes[0]);
    }
  }

  /** Publishes at QoS 1 and waits for the broker's acknowledgement. */
  public void publish(String topic, byte[] payload, boolean retained) throws MqttException {
    MqttMessage m = new MqttMessage(payload);
    m.setQos(1);
    m.setRetained(retained);
    client.publish(topic, m);
  }

  /**
   * QoS 0: returns once written to the socket instead of waiting for the broker's PUBACK. For the
   * small messages of an attention all-reduce (each worker's partial sums to its peers), which sit
   * on the critical path up to a dozen times per frame; one lost (broker restart) only stalls its
   * frame until the planner's deadline runs another attempt.
   */
  public void publishAtMostOnce(String topic, byte[] payload) throws MqttException {
    MqttMessage m = new MqttMessage(payload);
    m.setQos(0);
    client.publish(topic, m);
  }

  public void onReconnect(Runnable action) {
    this.onReconnect = action;
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  public String clientId() {
    return settings.clientId();
  }

  @Override
  public void close() {
    closed = true;
    if (watchdog != null) {
      watchdog.interrupt();
    }
    try {
      if (client.isConnected()) {
        client.disconnect(5_000);
      }
    } catch (MqttException e) {
      LOG.debug("{}: disconnect failed: {}", settings.clientId(), e.toString());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("{}: close failed: {}", settings.clientId(), e.toString());
    }
  }

  private Delivery delivery(MqttMessage message) {
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    int epoch = connection.get();
    return new Delivery() {
      @Override
      public boolean redelivered() {
        return message.isDuplicate();
      }

      @Override
      public void ack() {
        if (!manualAcks || message.getQos() == 0 || !done.compareAndSet(false, true)) {
          return;
        }
        if (epoch != connection.get()) {
          // Received before the link dropped: the broker redelivers it on the new connection,
          // and a PUBACK now would name a packet id it may have given to another message.
          return;
        }
        try {
          client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
          // The connection dropped: the broker redelivers the message after the reconnect.
          LOG.debug(
              "{}: ack of message {} failed: {}",
              settings.clientId(),
              message.getId(),
              e.toString());
        }
      }
    };
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      downSinceMillis = System.currentTimeMillis();
      connection.incrementAndGet();
      LOG.warn("{} disconnected: {}", settings.clientId(), response);
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
      LOG.warn("{} MQTT error: {}", settings.clientId(), e.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      Delivery delivery = delivery(message);
      for (Map.Entry<String, AckedHandler> e : handlers.entrySet()) {
        if (MqttTopicMatch.matches(e.getKey(), topic)) {
          try {
            e.getValue().handle(topic, message.getPayload(), delivery);
          } catch (RuntimeException ex) {
            // A handler bug must not kill Paho's callback thread (it would stop all delivery).
            LOG.error(
                "{}: handler for {} failed on {}", settings.clientId(), e.getKey(), topic, ex);
            delivery.ack();
          }
          return;
        }
      }
      // Left unacknowledged on purpose: the broker redelivers it once a handler exists.
      LOG.warn("{}: no handler for {}; left for redelivery", settings.clientId(), topic);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      downSinceMillis = -1;
      if (!reconnect) {
        return;
      }
      LOG.info("{} reconnected to {}", settings.clientId(), serverUri);
      // Re-subscribing is harmless when the session survived and required when it did not;
      // done off the callback thread, which must stay free to deliver the SUBACKs.
      Thread t =
          new Thread(
              () -> {
                for (String filter : handlers.keySet()) {
                  try {
                    client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)});
                  } catch (MqttException e) {
                    LOG.warn(
                        "{}: re-subscribe to {} failed: {}",
                        settings.clientId(),
                        filter,
                        e.toString());
                  }
                }
                onReconnect.run();
              },
              settings.clientId() + "-resubscribe");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
