package io.edgedi.broker.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The access control of a real embedded broker, seen by real Paho v5 clients. One broker serves the
 * whole class (start 2-6 s, stop 4-5 s); every test uses its own client ids.
 */
class BrokerAccessControlTest {

  private static final int GRANTED_QOS_1 = 0x01;
  private static final int NOT_AUTHORIZED = 0x87;
  private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
  private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;

  private static final String FRAME = "edgedi/v1/plant1/line1/frames/cam-1";
  private static final String TELEMETRY_W1 = "edgedi/v1/plant1/workers/w1/telemetry";
  private static final String TILES_W1 = "edgedi/v1/plant1/workers/w1/tasks";
  private static final String TILES_W2 = "edgedi/v1/plant1/workers/w2/tasks";
  private static final String PEER_W1_TO_W2 = "edgedi/v1/plant1/workers/w2/peer/w1";
  private static final String PARTIALS = "edgedi/v1/plant1/planners/planner-1/partials";
  private static final String PLANS = "edgedi/v1/plant1/plans";
  private static final String CLASSIFICATION = "edgedi/v1/plant1/line1/classifications/cam-1";
  private static final String CLASSIFICATION_JSON =
      "edgedi/v1/plant1/line1/classifications-json/cam-1";
  private static final String ERRORS_W1 = "edgedi/v1/plant1/errors/w1";

  @TempDir static Path folder;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = UsersFileBrokerFixture.start(folder);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void brokerListensOnTheChosenFreePort() {
    assertTrue(broker.port() > 0);
    assertEquals("tcp://127.0.0.1:" + broker.port(), broker.url());
  }

  @Test
  void normalFlowOfEveryRoleIsAllowedEndToEnd() throws Exception {
    try (TestClient planner =
            TestClient.connect(broker.url(), "planner-1", "planner-1", "planner-pw");
        TestClient worker = TestClient.connect(broker.url(), "w1", "w1", "w1-pw");
        TestClient camera = TestClient.connect(broker.url(), "cam-1", "camera-1", "camera-pw");
        TestClient mes = TestClient.connect(broker.url(), "mes-flow", "mes-1", "mes-pw")) {
      BlockingQueue<MqttMessage> frames = planner.subscribe("edgedi/v1/+/+/frames/+");
      BlockingQueue<MqttMessage> telemetry = planner.subscribe("edgedi/v1/+/workers/+/telemetry");
      BlockingQueue<MqttMessage> partials =
          planner.subscribe("edgedi/v1/+/planners/planner-1/partials");
      BlockingQueue<MqttMessage> tiles = worker.subscribe("edgedi/v1/+/workers/w1/tasks");
      BlockingQueue<MqttMessage> classifications = mes.subscribe("edgedi/v1/+/+/classifications/+");
      BlockingQueue<MqttMessage> classificationsJson =
          mes.subscribe("edgedi/v1/+/+/classifications-json/+");
      BlockingQueue<MqttMessage> plans = mes.subscribe("edgedi/v1/+/plans");
      BlockingQueue<MqttMessage> mesTelemetry = mes.subscribe("edgedi/v1/+/workers/+/telemetry");
      BlockingQueue<MqttMessage> errors = mes.subscribe("edgedi/v1/+/errors/+");

      camera.publish(FRAME, "frame-1");
      assertPayload("frame-1", frames);
      worker.publish(TELEMETRY_W1, "online");
      assertPayload("online", telemetry);
      assertPayload("online", mesTelemetry);
      planner.publish(TILES_W1, "tile-1");
      assertPayload("tile-1", tiles);
      worker.publish(PARTIALS, "partial-1");
      assertPayload("partial-1", partials);
      planner.publish(PLANS, "plan-1");
      assertPayload("plan-1", plans);
      planner.publish(CLASSIFICATION, "scratches");
      assertPayload("scratches", classifications);
      planner.publish(CLASSIFICATION_JSON, "{\"class\":\"scratches\"}");
      assertPayload("{\"class\":\"scratches\"}", classificationsJson);
      worker.publish(ERRORS_W1, "bad tile");
      assertPayload("bad tile", errors);

      for (TestClient client : List.of(planner, worker, camera, mes)) {
        assertTrue(client.mqtt.isConnected(), client.mqtt.getClientId() + " was disconnected");
      }
    }
  }

  @Test
  void smartCameraImagesReachTheGatewayButNotMes() throws Exception {
    String image = "edgedi/v1/plant1/line1/images/cam-1";
    try (TestClient smartCamera =
            TestClient.connect(broker.url(), "cam-1", "camera-1", "camera-pw");
        TestClient gateway =
            TestClient.connect(broker.url(), "gateway-1", "camera-1", "camera-pw");
        TestClient mes = TestClient.connect(broker.url(), "mes-images", "mes-1", "mes-pw")) {
      BlockingQueue<MqttMessage> images = gateway.subscribe("edgedi/v1/plant1/line1/images/cam-1");
      assertEquals(NOT_AUTHORIZED, mes.subscribe(image, new LinkedBlockingQueue<>()));
      smartCamera.publish(image, "jpeg bytes");
      assertPayload("jpeg bytes", images);
    }
  }

  @Test
  void cameraPublishingAClassificationIsDisconnectedAndNothingIsDelivered() throws Exception {
    assertForbiddenPublishDisconnects("cam-rogue-1", "camera-1", "camera-pw", CLASSIFICATION);
  }

  @Test
  void cameraPublishingATileIsDisconnectedAndNothingIsDelivered() throws Exception {
    assertForbiddenPublishDisconnects("cam-rogue-2", "camera-1", "camera-pw", TILES_W1);
  }

  @ParameterizedTest
  @ValueSource(strings = {CLASSIFICATION, PLANS, ERRORS_W1, FRAME})
  void mesCannotPublishAnywhere(String topic) throws Exception {
    assertForbiddenPublishDisconnects(
        "mes-rogue-" + Math.abs(topic.hashCode()), "mes-1", "mes-pw", topic);
  }

  @Test
  void workerCannotPublishAnotherWorkersTelemetry() throws Exception {
    assertForbiddenPublishDisconnects("w1", "w1", "w1-pw", "edgedi/v1/plant1/workers/w2/telemetry");
  }

  @Test
  void deniedPublishIsLoggedWithClientIdAndTopic() throws Exception {
    try (LogCapture log = new LogCapture("io.edgedi.broker.extension")) {
      assertForbiddenPublishDisconnects("cam-logged", "camera-1", "camera-pw", PLANS);
      String line = log.awaitLineContaining("cam-logged", "camera-1", PLANS);
      assertNotNull(line, "no log line for the denied publish");
    }
  }

  @Test
  void wrongPasswordIsRefusedWithBadUserNameOrPassword() {
    MqttException refused =
        assertThrows(
            MqttException.class,
            () -> TestClient.connect(broker.url(), "planner-x", "planner-1", "wrong"));
    assertEquals(BAD_USER_NAME_OR_PASSWORD, refused.getReasonCode());
  }

  @Test
  void unknownUserIsRefusedLikeAWrongPassword() {
    MqttException refused =
        assertThrows(
            MqttException.class,
            () -> TestClient.connect(broker.url(), "nobody-1", "nobody", "planner-pw"));
    assertEquals(BAD_USER_NAME_OR_PASSWORD, refused.getReasonCode());
  }

  @Test
  void anonymousClientIsRefusedAsNotAuthorized() {
    MqttException refused =
        assertThrows(
            MqttException.class, () -> TestClient.connect(broker.url(), "anonymous-1", null, null));
    assertEquals(NOT_AUTHORIZED, refused.getReasonCode());
  }

  @Test
  void userNameWithoutPasswordIsRefusedAsNotAuthorized() {
    MqttException refused =
        assertThrows(
            MqttException.class,
            () -> TestClient.connect(broker.url(), "planner-np", "planner-1", null));
    assertEquals(NOT_AUTHORIZED, refused.getReasonCode());
  }

  @Test
  void refusedLoginIsLoggedWithClientId() throws Exception {
    try (LogCapture log = new LogCapture("io.edgedi.broker.extension")) {
      assertThrows(
          MqttException.class,
          () -> TestClient.connect(broker.url(), "planner-guess", "planner-1", "guess"));
      assertNotNull(
          log.awaitLineContaining("planner-guess", "planner-1"), "no log line for the refusal");
    }
  }

  @Test
  void workerCannotSubscribeToAnotherWorkersTilesOrToFrames() throws Exception {
    try (LogCapture log = new LogCapture("io.edgedi.broker.extension");
        TestClient worker = TestClient.connect(broker.url(), "w1", "w1", "w1-pw")) {
      BlockingQueue<MqttMessage> ignored = new LinkedBlockingQueue<>();
      assertEquals(NOT_AUTHORIZED, worker.subscribe(TILES_W2, ignored));
      assertEquals(NOT_AUTHORIZED, worker.subscribe("edgedi/v1/+/workers/+/tasks", ignored));
      assertEquals(NOT_AUTHORIZED, worker.subscribe("edgedi/v1/+/+/frames/+", ignored));
      assertEquals(NOT_AUTHORIZED, worker.subscribe("#", ignored));
      assertEquals(GRANTED_QOS_1, worker.subscribe(TILES_W1, ignored));
      // a refused subscription, unlike a refused publish, leaves the client connected
      assertTrue(worker.mqtt.isConnected());
      assertNotNull(
          log.awaitLineContaining("'w1'", TILES_W2), "no log line for the denied subscription");
    }
  }

  @Test
  void workersReachEachOtherOnPeerTopicsThatNameTheSender() throws Exception {
    try (TestClient w1 = TestClient.connect(broker.url(), "w1", "w1", "w1-pw");
        TestClient w2 = TestClient.connect(broker.url(), "w2", "w2", "w2-pw")) {
      BlockingQueue<MqttMessage> peer = w2.subscribe("edgedi/v1/+/workers/w2/peer/+");
      w1.publish(PEER_W1_TO_W2, "halo rows");
      assertPayload("halo rows", peer);
      BlockingQueue<MqttMessage> ignored = new LinkedBlockingQueue<>();
      assertEquals(NOT_AUTHORIZED, w1.subscribe("edgedi/v1/+/workers/w2/peer/+", ignored));
      assertTrue(w1.mqtt.isConnected() && w2.mqtt.isConnected());
    }
  }

  @Test
  void workerPublishingAPeerMessageUnderAnotherWorkersIdIsDisconnected() throws Exception {
    assertForbiddenPublishDisconnects("w1", "w1", "w1-pw", "edgedi/v1/plant1/workers/w1/peer/w2");
  }

  @Test
  void workerPublishingATaskPlanOrClassificationIsDisconnected() throws Exception {
    for (String topic : List.of(TILES_W2, PLANS, CLASSIFICATION)) {
      assertForbiddenPublishDisconnects("w1", "w1", "w1-pw", topic);
    }
  }

  @Test
  void workerWithAClientIdThatIsNotAPlainNameIsRefused() {
    // '+' would otherwise become a wildcard inside the worker's own-tiles permission
    MqttException refused =
        assertThrows(
            MqttException.class, () -> TestClient.connect(broker.url(), "+", "w1", "w1-pw"));
    assertEquals(CLIENT_IDENTIFIER_NOT_VALID, refused.getReasonCode());
  }

  /**
   * An empty client id in an MQTT 5 CONNECT asks the broker to assign one (mosquitto_sub without
   * -i).
   */
  private static final String ASSIGN_ME = "";

  @Test
  void mesWithABrokerAssignedClientIdConnectsAndReceivesClassifications() throws Exception {
    try (TestClient planner =
            TestClient.connect(broker.url(), "planner-1", "planner-1", "planner-pw");
        TestClient mes = TestClient.connect(broker.url(), ASSIGN_ME, "mes-1", "mes-pw")) {
      BlockingQueue<MqttMessage> classifications = mes.subscribe("edgedi/v1/+/+/classifications/+");
      planner.publish(CLASSIFICATION, "crazing");
      assertPayload("crazing", classifications);
      assertTrue(mes.mqtt.isConnected());
    }
  }

  @Test
  void cameraWithABrokerAssignedClientIdMayPublishFrames() throws Exception {
    try (TestClient planner =
            TestClient.connect(broker.url(), "planner-1", "planner-1", "planner-pw");
        TestClient camera = TestClient.connect(broker.url(), ASSIGN_ME, "camera-1", "camera-pw")) {
      BlockingQueue<MqttMessage> frames = planner.subscribe("edgedi/v1/+/+/frames/+");
      camera.publish(FRAME, "frame-assigned");
      assertPayload("frame-assigned", frames);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mes-1", "w1", "planner-1", "nobody"})
  void wrongPasswordWithABrokerAssignedClientIdIsBadUserNameOrPassword(String user) {
    MqttException refused =
        assertThrows(
            MqttException.class, () -> TestClient.connect(broker.url(), ASSIGN_ME, user, "wrong"));
    assertEquals(BAD_USER_NAME_OR_PASSWORD, refused.getReasonCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"w1:w1-pw", "planner-1:planner-pw"})
  void workerOrPlannerWithABrokerAssignedClientIdIsRefused(String userAndPassword) {
    // their topic permissions contain their own id: an id the broker made up names nobody's tasks
    String[] parts = userAndPassword.split(":");
    MqttException refused =
        assertThrows(
            MqttException.class,
            () -> TestClient.connect(broker.url(), ASSIGN_ME, parts[0], parts[1]));
    assertEquals(CLIENT_IDENTIFIER_NOT_VALID, refused.getReasonCode());
  }

  @Test
  void mesMaySubscribeToResultsButNotToFramesOrTiles() throws Exception {
    try (TestClient mes = TestClient.connect(broker.url(), "mes-sub", "mes-1", "mes-pw")) {
      BlockingQueue<MqttMessage> ignored = new LinkedBlockingQueue<>();
      assertEquals(GRANTED_QOS_1, mes.subscribe(CLASSIFICATION, ignored));
      assertEquals(NOT_AUTHORIZED, mes.subscribe(FRAME, ignored));
      assertEquals(NOT_AUTHORIZED, mes.subscribe(TILES_W1, ignored));
    }
  }

  /**
   * Publishes on a forbidden topic and checks the broker's answer: it disconnects the client with
   * "not authorized", and a subscriber to that topic (admin) gets nothing.
   */
  private static void assertForbiddenPublishDisconnects(
      String clientId, String user, String password, String topic) throws Exception {
    try (TestClient watcher =
            TestClient.connect(broker.url(), "admin-" + clientId, "admin-1", "admin-pw");
        TestClient offender = TestClient.connect(broker.url(), clientId, user, password)) {
      BlockingQueue<MqttMessage> delivered = watcher.subscribe(topic);
      try {
        offender.publish(topic, "forbidden");
      } catch (MqttException refusedByPuback) {
        // Paho may report the PUBACK "not authorized" itself; the disconnect follows either way
      }
      Integer reason = offender.brokerDisconnect.get(5, TimeUnit.SECONDS);
      assertEquals(NOT_AUTHORIZED, reason, "DISCONNECT reason code");
      assertNull(delivered.poll(300, TimeUnit.MILLISECONDS), "a forbidden publish was delivered");
    }
  }

  private static void assertPayload(String expected, BlockingQueue<MqttMessage> queue)
      throws InterruptedException {
    MqttMessage message = queue.poll(5, TimeUnit.SECONDS);
    assertNotNull(message, "nothing arrived, expected " + expected);
    assertEquals(expected, new String(message.getPayload(), StandardCharsets.UTF_8));
  }
}
