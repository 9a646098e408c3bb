package io.edgedi.broker.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.edgedi.transport.NoDelaySocketFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
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

/** A Paho v5 client as the EdgeDI components should use it: in-memory persistence, TCP_NODELAY. */
final class TestClient implements AutoCloseable {

  static final int TIMEOUT_MILLIS = 10_000;

  final MqttClient mqtt;

  /** Completes with the reason code of a DISCONNECT sent by the broker. */
  final CompletableFuture<Integer> brokerDisconnect = new CompletableFuture<>();

  /** Whether the broker resumed a session at CONNECT. */
  boolean sessionPresent;

  private final IMqttMessageListener unrouted;

  private TestClient(MqttClient mqtt, IMqttMessageListener unrouted) {
    this.mqtt = mqtt;
    this.unrouted = unrouted;
  }

  static MqttConnectionOptions options(String user, String password) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    if (user != null) {
      options.setUserName(user);
    }
    if (password != null) {
      options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    options.setSocketFactory(NoDelaySocketFactory.instance());
    options.setAutomaticReconnect(false);
    options.setCleanStart(true);
    options.setConnectionTimeout(10);
    return options;
  }

  static TestClient connect(String url, String clientId, String user, String password)
      throws MqttException {
    return connect(url, clientId, options(user, password));
  }

  static TestClient connect(String url, String clientId, MqttConnectionOptions options)
      throws MqttException {
    return connectRouting(url, clientId, options, (topic, message) -> {});
  }

  /**
   * Connects; {@code unrouted} receives messages of subscriptions this client object did not make
   * (those of a resumed session).
   */
  static TestClient connectRouting(
      String url, String clientId, MqttConnectionOptions options, IMqttMessageListener unrouted)
      throws MqttException {
    TestClient client =
        new TestClient(new MqttClient(url, clientId, new MemoryPersistence()), unrouted);
    client.mqtt.setTimeToWait(TIMEOUT_MILLIS);
    client.mqtt.setCallback(client.new Callback());
    try {
      client.sessionPresent = client.mqtt.connectWithResult(options).getSessionPresent();
    } catch (MqttException e) {
      client.mqtt.close(true);
      throw e;
    }
    return client;
  }

  /** Subscribes at QoS 1 and returns the SUBACK reason code (0x01 granted, 0x87 not authorized). */
  int subscribe(String filter, BlockingQueue<MqttMessage> into) throws MqttException {
    IMqttMessageListener listener = (topic, message) -> into.add(message);
    // the String[]/int[]/listener[] overload of Paho 1.2.5 calls itself forever: use
    // MqttSubscription[]
    IMqttToken token =
        mqtt.subscribe(
            new MqttSubscription[] {new MqttSubscription(filter, 1)},
            new IMqttMessageListener[] {listener});
    return token.getReasonCodes()[0];
  }

  /** Subscribes at QoS 1, requiring the broker to grant it. */
  BlockingQueue<MqttMessage> subscribe(String filter) throws MqttException {
    BlockingQueue<MqttMessage> messages = new LinkedBlockingQueue<>();
    int code = subscribe(filter, messages);
    assertArrayEquals(new int[] {1}, new int[] {code}, "SUBACK for " + filter);
    return messages;
  }

  void publish(String topic, String payload) throws MqttException {
    MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    mqtt.publish(topic, message);
  }

  @Override
  public void close() throws MqttException {
    try {
      if (mqtt.isConnected()) {
        mqtt.disconnect();
      }
    } finally {
      mqtt.close(true);
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      brokerDisconnect.complete(response.getReturnCode());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
      unrouted.messageArrived(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
