package io.edgedi.broker.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.broker.access.Role;
import io.edgedi.broker.embedded.BrokerConfig.Persistence;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart is a new broker on the same home folder: with file persistence a worker's persistent
 * session, and the tiles queued for it while it was away, survive. Two starts and two stops: ~15 s.
 */
class EmbeddedBrokerRestartTest {

  private static final String TILES_W1 = "edgedi/v1/plant1/workers/w1/tasks";

  @TempDir Path home;

  @Test
  void persistentSessionAndItsQueuedMessagesSurviveARestartOnTheSameHomeFolder() throws Exception {
    PasswordHasher fast = new PasswordHasher(10_000);
    UsersFile users =
        UsersFile.of(
            List.of(
                UserAccount.create("planner-1", Role.PLANNER, "planner-pw".toCharArray(), fast),
                UserAccount.create("w1", Role.WORKER, "w1-pw".toCharArray(), fast)));

    EmbeddedBroker first =
        EmbeddedBroker.builder()
            .homeFolder(home)
            .persistence(Persistence.FILE)
            .users(users)
            .start();
    try {
      // the worker subscribes in a persistent session, then goes away
      try (TestClient worker =
          TestClient.connect(first.url(), "w1", persistentSession("w1", "w1-pw"))) {
        worker.subscribe(TILES_W1);
      }
      // tiles for the absent worker are queued in its session
      try (TestClient planner =
          TestClient.connect(first.url(), "planner-1", "planner-1", "planner-pw")) {
        for (int i = 1; i <= 3; i++) {
          planner.publish(TILES_W1, "tile-" + i);
        }
      }
    } finally {
      first.close();
    }
    assertTrue(
        Files.isDirectory(home.resolve("data")), "home folder must outlive the first broker");

    try (EmbeddedBroker second = first.toBuilder().start()) {
      assertEquals(first.port(), second.port());
      BlockingQueue<MqttMessage> tiles = new LinkedBlockingQueue<>();
      try (TestClient worker =
          TestClient.connectRouting(
              second.url(),
              "w1",
              persistentSession("w1", "w1-pw"),
              // the resumed session's subscription delivers without a new SUBSCRIBE
              (topic, message) -> tiles.add(message))) {
        assertTrue(worker.sessionPresent, "session lost across the restart");
        for (int i = 1; i <= 3; i++) {
          MqttMessage tile = tiles.poll(10, TimeUnit.SECONDS);
          assertNotNull(tile, "queued tile " + i + " lost across the restart");
          assertEquals("tile-" + i, new String(tile.getPayload(), StandardCharsets.UTF_8));
        }
        assertNull(tiles.poll(200, TimeUnit.MILLISECONDS), "unexpected extra tile");
      }
    }
  }

  private static MqttConnectionOptions persistentSession(String user, String password) {
    MqttConnectionOptions options = TestClient.options(user, password);
    options.setCleanStart(false);
    options.setSessionExpiryInterval(3_600L);
    return options;
  }
}
