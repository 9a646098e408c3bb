package io.edgedi.broker.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgedi.broker.access.Role;
import io.edgedi.broker.mosquitto.MosquittoProcess;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mosquitto ACL generated from the role table ({@code MosquittoAcl}), on a real Mosquitto 2
 * process: every role's normal flow passes, what HiveMQ refuses Mosquitto refuses too (as Mosquitto
 * refuses: a forbidden publish is dropped, the client stays connected). Lives beside {@link
 * BrokerAccessControlTest} to share its client. Skipped when Mosquitto is not installed.
 */
class MosquittoAccessTest {

  private static final int NOT_AUTHORIZED = 0x87;
  private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;

  private static final String FRAME = "edgedi/v1/plant1/line1/frames/cam-1";
  private static final String TASKS_W1 = "edgedi/v1/plant1/workers/w1/tasks";
  private static final String TASKS_W2 = "edgedi/v1/plant1/workers/w2/tasks";
  private static final String CLASSIFICATION = "edgedi/v1/plant1/line1/classifications/cam-1";

  @TempDir static Path folder;
  private static MosquittoProcess broker;

  @BeforeAll
  static void startMosquitto() throws Exception {
    assumeTrue(
        MosquittoProcess.binary().isPresent(),
        "SKIPPED: mosquitto is not installed (Debian: apt-get install mosquitto)");
    PasswordHasher fast = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);
    Map<String, char[]> passwords = new LinkedHashMap<>();
    Map<String, Role> roles =
        Map.of(
            "camera-1",
            Role.CAMERA,
            "planner-1",
            Role.PLANNER,
            "w1",
            Role.WORKER,
            "w2",
            Role.WORKER,
            "mes-1",
            Role.MES,
            "admin-1",
            Role.ADMIN);
    List<UserAccount> accounts =
        roles.entrySet().stream()
            .map(
                e -> {
                  passwords.put(e.getKey(), (e.getKey() + "-pw").toCharArray());
                  return UserAccount.create(
                      e.getKey(), e.getValue(), passwords.get(e.getKey()), fast);
                })
            .toList();
    broker = MosquittoProcess.start(folder, UsersFile.of(accounts), passwords);
  }

  @AfterAll
  static void stopMosquitto() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void normalFlowOfEveryRoleIsAllowed() throws Exception {
    try (TestClient planner = connect("planner-1", "planner-1");
        TestClient planner2 = connect("planner-1-frames", "planner-1");
        TestClient worker = connect("w1", "w1");
        TestClient camera = connect("cam-1", "camera-1");
        TestClient mes = connect("mes-flow", "mes-1")) {
      BlockingQueue<MqttMessage> frames = planner2.subscribe("edgedi/v1/+/+/frames/+");
      BlockingQueue<MqttMessage> telemetry = planner.subscribe("edgedi/v1/+/workers/+/telemetry");
      BlockingQueue<MqttMessage> partials =
          planner.subscribe("edgedi/v1/+/planners/planner-1/partials");
      BlockingQueue<MqttMessage> tasks = worker.subscribe("edgedi/v1/+/workers/w1/tasks");
      BlockingQueue<MqttMessage> peer = worker.subscribe("edgedi/v1/+/workers/w1/peer/+");
      BlockingQueue<MqttMessage> classifications = mes.subscribe("edgedi/v1/+/+/classifications/+");
      BlockingQueue<MqttMessage> json = mes.subscribe("edgedi/v1/+/+/classifications-json/+");
      BlockingQueue<MqttMessage> plans = mes.subscribe("edgedi/v1/+/plans");
      BlockingQueue<MqttMessage> mesTelemetry = mes.subscribe("edgedi/v1/+/workers/+/telemetry");
      BlockingQueue<MqttMessage> errors = mes.subscribe("edgedi/v1/+/errors/+");

      camera.publish(FRAME, "frame-1");
      assertPayload("frame-1", frames);
      worker.publish("edgedi/v1/plant1/workers/w1/telemetry", "online");
      assertPayload("online", telemetry);
      assertPayload("online", mesTelemetry);
      planner.publish(TASKS_W1, "task-1");
      assertPayload("task-1", tasks);
      try (TestClient w2 = connect("w2", "w2")) {
        w2.publish("edgedi/v1/plant1/workers/w1/peer/w2", "halo");
        assertPayload("halo", peer);
      }
      worker.publish("edgedi/v1/plant1/planners/planner-1/partials", "partial-1");
      assertPayload("partial-1", partials);
      planner.publish("edgedi/v1/plant1/plans", "plan-1");
      assertPayload("plan-1", plans);
      planner.publish(CLASSIFICATION, "scratches");
      assertPayload("scratches", classifications);
      planner.publish("edgedi/v1/plant1/line1/classifications-json/cam-1", "{}");
      assertPayload("{}", json);
      camera.publish("edgedi/v1/plant1/errors/cam-1", "bad image");
      assertPayload("bad image", errors);
    }
  }

  /**
   * Unlike HiveMQ (SUBACK 0x87), Mosquitto 2.0.11 grants any subscription and checks each message
   * against the ACL at delivery: a subscription outside the role's rights receives nothing.
   */
  @Test
  void subscriptionsOutsideARolesRightsReceiveNothing() throws Exception {
    try (TestClient planner = connect("planner-1", "planner-1");
        TestClient camera = connect("cam-1", "camera-1");
        TestClient worker = connect("w1", "w1");
        TestClient mes = connect("mes-sub", "mes-1");
        TestClient otherCamera = connect("cam-sub", "camera-1")) {
      BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
      worker.subscribe(TASKS_W2, got);
      worker.subscribe(FRAME, got);
      mes.subscribe(FRAME, got);
      mes.subscribe(TASKS_W1, got);
      otherCamera.subscribe(FRAME, got);
      otherCamera.subscribe(TASKS_W1, got);
      camera.publish(FRAME, "frame");
      planner.publish(TASKS_W2, "task-for-w2");
      planner.publish(TASKS_W1, "task-for-w1");
      assertNull(got.poll(1, TimeUnit.SECONDS), "delivered outside the ACL");
      assertTrue(
          worker.mqtt.isConnected() && mes.mqtt.isConnected() && otherCamera.mqtt.isConnected());
    }
  }

  /**
   * Unlike HiveMQ, Mosquitto 2.0 grants a wildcard subscription wider than the ACL and filters each
   * message against the ACL at delivery: the worker still gets only its own tasks.
   */
  @Test
  void wildcardSubscriptionsDeliverOnlyWhatTheRoleMayRead() throws Exception {
    try (TestClient planner = connect("planner-1", "planner-1");
        TestClient worker = connect("w1", "w1");
        TestClient mes = connect("mes-wild", "mes-1")) {
      BlockingQueue<MqttMessage> workerGot = new LinkedBlockingQueue<>();
      BlockingQueue<MqttMessage> mesGot = new LinkedBlockingQueue<>();
      worker.subscribe("edgedi/v1/+/workers/+/tasks", workerGot);
      mes.subscribe("#", mesGot);
      planner.publish(TASKS_W2, "task-for-w2");
      planner.publish(TASKS_W1, "task-for-w1");
      assertPayload("task-for-w1", workerGot);
      assertNull(workerGot.poll(500, TimeUnit.MILLISECONDS), "w1 received another worker's task");
      planner.publish(CLASSIFICATION, "patches");
      assertPayload("patches", mesGot);
      assertNull(mesGot.poll(500, TimeUnit.MILLISECONDS), "MES received a task");
    }
  }

  @Test
  void publishesOutsideARolesRightsAreNotDelivered() throws Exception {
    assertNotDelivered("cam-rogue", "camera-1", CLASSIFICATION);
    assertNotDelivered("cam-rogue", "camera-1", TASKS_W1);
    assertNotDelivered("mes-rogue", "mes-1", CLASSIFICATION);
    assertNotDelivered("mes-rogue", "mes-1", FRAME);
    assertNotDelivered("w1", "w1", "edgedi/v1/plant1/workers/w2/telemetry");
    assertNotDelivered("w1", "w1", "edgedi/v1/plant1/workers/w2/peer/w3");
    assertNotDelivered("w1", "w1", TASKS_W2);
  }

  /** Mosquitto 2.0.11 answers a wrong password with 0x87 (not authorized), HiveMQ with 0x86. */
  @Test
  void wrongPasswordIsRefused() {
    MqttException refused =
        assertThrows(
            MqttException.class, () -> TestClient.connect(broker.url(), "mes-x", "mes-1", "wrong"));
    assertTrue(
        refused.getReasonCode() == NOT_AUTHORIZED
            || refused.getReasonCode() == BAD_USER_NAME_OR_PASSWORD,
        "CONNACK " + refused.getReasonCode());
  }

  /**
   * Rights follow the user name, so a broker-assigned client id works for every role, workers too.
   */
  @Test
  void brokerAssignedClientIdsAreAdmittedForAnyRole() throws Exception {
    try (TestClient planner = connect("planner-1", "planner-1");
        TestClient worker = TestClient.connect(broker.url(), "", "w1", "w1-pw");
        TestClient mes = TestClient.connect(broker.url(), "", "mes-1", "mes-1-pw")) {
      BlockingQueue<MqttMessage> tasks = worker.subscribe(TASKS_W1);
      BlockingQueue<MqttMessage> classifications = mes.subscribe(CLASSIFICATION);
      planner.publish(TASKS_W1, "task");
      planner.publish(CLASSIFICATION, "inclusion");
      assertPayload("task", tasks);
      assertPayload("inclusion", classifications);
    }
  }

  /**
   * What Mosquitto loses against HiveMQ: the client id is not bound to the account, so an MES login
   * may take worker w1's session (and disconnect w1). The ACL is checked again at delivery, so the
   * task queued for w1 still does not reach it.
   */
  @Test
  void anotherAccountMayTakeAWorkersClientIdButNotReadItsQueuedTasks() throws Exception {
    MqttConnectionOptions persistent = TestClient.options("w1", "w1-pw");
    persistent.setCleanStart(false);
    persistent.setSessionExpiryInterval(600L);
    try (TestClient w1 = TestClient.connect(broker.url(), "w1", persistent)) {
      w1.subscribe(TASKS_W1);
    }
    try (TestClient planner = connect("planner-1", "planner-1")) {
      planner.publish(TASKS_W1, "queued-task");
    }
    MqttConnectionOptions impostor = TestClient.options("mes-1", "mes-1-pw");
    impostor.setCleanStart(false);
    impostor.setSessionExpiryInterval(600L);
    BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
    try (TestClient mes =
        TestClient.connectRouting(broker.url(), "w1", impostor, (t, m) -> received.add(m))) {
      assertTrue(mes.sessionPresent, "Mosquitto handed w1's session to the MES account");
      assertNull(
          received.poll(1, TimeUnit.SECONDS), "a task queued for w1 reached the MES account");
    }
  }

  private static TestClient connect(String clientId, String user) throws MqttException {
    return TestClient.connect(broker.url(), clientId, user, user + "-pw");
  }

  /**
   * Publishes on a topic outside the client's rights; an admin subscribed to it must get nothing.
   */
  private static void assertNotDelivered(String clientId, String user, String topic)
      throws Exception {
    try (TestClient watcher = connect("admin-watch", "admin-1");
        TestClient offender = connect(clientId, user)) {
      BlockingQueue<MqttMessage> delivered = watcher.subscribe(topic);
      try {
        offender.publish(topic, "forbidden");
      } catch (MqttException refusedByPuback) {
        // Mosquitto answers a forbidden QoS 1 publish of an MQTT 5 client with PUBACK 0x87
      }
      assertNull(delivered.poll(500, TimeUnit.MILLISECONDS), user + " published on " + topic);
      assertTrue(
          offender.mqtt.isConnected(), "Mosquitto drops a forbidden publish without disconnecting");
    }
  }

  private static void assertPayload(String expected, BlockingQueue<MqttMessage> queue)
      throws InterruptedException {
    MqttMessage message = queue.poll(5, TimeUnit.SECONDS);
    assertNotNull(message, "nothing arrived, expected " + expected);
    assertEquals(expected, new String(message.getPayload(), StandardCharsets.UTF_8));
  }
}
