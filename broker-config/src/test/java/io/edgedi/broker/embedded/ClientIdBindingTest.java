package io.edgedi.broker.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.broker.access.Role;
import io.edgedi.broker.users.ClientIdGlob;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accounts bound to client ids, on a real embedded broker with Paho v5 clients: a worker account
 * connects only as its own worker id (or what its {@code clients=} pattern admits), and nobody
 * takes the id, and with it the session, of another worker or planner account.
 */
class ClientIdBindingTest {

  private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
  private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
  private static final String TILES_WORKER_1 = "edgedi/v1/plant1/workers/worker-1/tasks";

  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() {
    PasswordHasher fast = new PasswordHasher(10_000);
    broker =
        EmbeddedBroker.builder()
            .port(0)
            .users(
                UsersFile.of(
                    List.of(
                        UserAccount.create("worker-1", Role.WORKER, "w1-pw".toCharArray(), fast),
                        UserAccount.create("worker-2", Role.WORKER, "w2-pw".toCharArray(), fast),
                        UserAccount.create("fleet", Role.WORKER, "fleet-pw".toCharArray(), fast)
                            .withClients(new ClientIdGlob("pi-*")),
                        UserAccount.create("shared", Role.WORKER, "shared-pw".toCharArray(), fast)
                            .withClients(new ClientIdGlob("*")),
                        UserAccount.create(
                            "planner", Role.PLANNER, "planner-pw".toCharArray(), fast),
                        UserAccount.create("mes", Role.MES, "mes-pw".toCharArray(), fast))))
            .start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void workerConnectsWithItsOwnNameAsClientId() throws Exception {
    try (TestClient worker = TestClient.connect(broker.url(), "worker-1", "worker-1", "w1-pw")) {
      assertTrue(worker.mqtt.isConnected());
    }
  }

  @Test
  void workerClaimingAnotherWorkersIdIsRefusedAndLogged() throws Exception {
    try (LogCapture log = new LogCapture("io.edgedi.broker.extension")) {
      assertRefused("worker-2", "worker-1", "w1-pw");
      assertNotNull(
          log.awaitLineContaining(
              "client id 'worker-2' is not allowed for user 'worker-1' (role worker)"),
          "no WARN line naming client id, user and role");
    }
    // an id no account owns is refused just the same: the account is bound, not merely kept off
    // others
    assertRefused("worker-3", "worker-1", "w1-pw");
  }

  @Test
  void patternAdmitsItsIdsAndNoOthers() throws Exception {
    try (TestClient pi = TestClient.connect(broker.url(), "pi-7", "fleet", "fleet-pw")) {
      assertTrue(pi.mqtt.isConnected());
      // its permissions follow the client id it was allowed: pi-7's tiles, not another worker's
      assertEquals(
          0x01, pi.subscribe("edgedi/v1/+/workers/pi-7/tasks", new LinkedBlockingQueue<>()));
      assertEquals(0x87, pi.subscribe(TILES_WORKER_1, new LinkedBlockingQueue<>()));
    }
    assertRefused("worker-3", "fleet", "fleet-pw");
  }

  @Test
  void evenAnyIdPatternCannotTakeTheIdOfABoundAccount() throws Exception {
    try (TestClient pi = TestClient.connect(broker.url(), "pi-9", "shared", "shared-pw")) {
      assertTrue(pi.mqtt.isConnected());
    }
    assertRefused("worker-1", "shared", "shared-pw");
    assertRefused("planner-frames", "shared", "shared-pw");
  }

  @Test
  void plannerConnectsAsItsIdAndItsFramesConnection() throws Exception {
    try (TestClient planner = TestClient.connect(broker.url(), "planner", "planner", "planner-pw");
        TestClient frames =
            TestClient.connect(broker.url(), "planner-frames", "planner", "planner-pw")) {
      assertTrue(planner.mqtt.isConnected() && frames.mqtt.isConnected());
    }
    assertRefused("worker-1", "planner", "planner-pw");
  }

  @Test
  void wrongPasswordIsAnsweredBeforeTheClientIdIsJudged() {
    MqttException refused =
        assertThrows(
            MqttException.class,
            () -> TestClient.connect(broker.url(), "worker-2", "worker-1", "wrong"));
    assertEquals(BAD_USER_NAME_OR_PASSWORD, refused.getReasonCode());
  }

  /**
   * MQTT keeps one session per client id: without the reservation, an MES account connecting as
   * worker-1 with clean start off received the tile queued for worker-1 (measured before the
   * change). Now it is refused, and worker-1 finds its tile when it comes back.
   */
  @Test
  void nobodyElseResumesAWorkersSessionAndItsQueuedTiles() throws Exception {
    MqttConnectionOptions persistent = TestClient.options("worker-1", "w1-pw");
    persistent.setCleanStart(false);
    persistent.setSessionExpiryInterval(600L);
    try (TestClient worker = TestClient.connect(broker.url(), "worker-1", persistent)) {
      worker.subscribe("edgedi/v1/+/workers/worker-1/tasks");
    }
    try (TestClient planner =
        TestClient.connect(broker.url(), "planner", "planner", "planner-pw")) {
      planner.publish(TILES_WORKER_1, "tile-for-worker-1");
    }

    MqttConnectionOptions intruder = TestClient.options("mes", "mes-pw");
    intruder.setCleanStart(false);
    intruder.setSessionExpiryInterval(600L);
    MqttException refused =
        assertThrows(
            MqttException.class,
            () -> TestClient.connect(broker.url(), "worker-1", intruder).close());
    assertEquals(CLIENT_IDENTIFIER_NOT_VALID, refused.getReasonCode());

    BlockingQueue<MqttMessage> resumed = new LinkedBlockingQueue<>();
    try (TestClient worker =
        TestClient.connectRouting(
            broker.url(), "worker-1", persistent, (topic, message) -> resumed.add(message))) {
      assertTrue(worker.sessionPresent, "worker-1's session survived the refused takeover");
      MqttMessage tile = resumed.poll(5, TimeUnit.SECONDS);
      assertNotNull(tile, "the queued tile was lost");
      assertEquals("tile-for-worker-1", new String(tile.getPayload(), StandardCharsets.UTF_8));
      assertNull(resumed.poll(200, TimeUnit.MILLISECONDS));
    }
    // leave no session behind for the other tests
    TestClient.connect(broker.url(), "worker-1", "worker-1", "w1-pw").close();
  }

  private static void assertRefused(String clientId, String user, String password) {
    MqttException refused =
        assertThrows(
            MqttException.class,
            () -> TestClient.connect(broker.url(), clientId, user, password).close(),
            user + " connected as " + clientId);
    assertEquals(CLIENT_IDENTIFIER_NOT_VALID, refused.getReasonCode(), user + " as " + clientId);
  }
}
