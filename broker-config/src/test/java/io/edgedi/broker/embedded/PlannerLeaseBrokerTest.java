package io.edgedi.broker.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What planner failover (docs/decisions/004-planner-failover.md) relies on, checked on the real
 * embedded HiveMQ CE rather than assumed: two planners share the lease topic and see each other's
 * classifications; the last will of a planner whose connection dies without a DISCONNECT (kill -9)
 * reaches the other planner; a non-retained will leaves the retained lease in place; no other role
 * may touch the lease.
 */
class PlannerLeaseBrokerTest {
  private static final String LEASE = "edgedi/v1/plant1/planners/lease";
  private static final String CLASSIFICATION = "edgedi/v1/plant1/line1/classifications/cam-1";

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
  void lastWillOfAPlannerKilledWithoutDisconnectReachesTheOtherAndLeavesTheRetainedLease()
      throws Exception {
    MqttConnectionOptions withWill = TestClient.options("planner", "planner-pw");
    MqttMessage will = new MqttMessage("released".getBytes(StandardCharsets.UTF_8));
    will.setQos(1);
    will.setRetained(false);
    withWill.setWill(LEASE, will);
    try (TestClient standby =
        TestClient.connect(broker.url(), "planner-b", "planner", "planner-pw")) {
      TestClient active = TestClient.connect(broker.url(), "planner-a", withWill);
      BlockingQueue<MqttMessage> seen = standby.subscribe(LEASE);
      BlockingQueue<MqttMessage> classifications = standby.subscribe(CLASSIFICATION);
      MqttMessage lease = new MqttMessage("a holds 1".getBytes(StandardCharsets.UTF_8));
      lease.setQos(1);
      lease.setRetained(true);
      active.mqtt.publish(LEASE, lease);
      assertEquals("a holds 1", text(seen.poll(TestClient.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)));
      active.publish(CLASSIFICATION, "frame-1 by a");
      assertEquals(
          "frame-1 by a",
          text(classifications.poll(TestClient.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)));

      // The socket closes without DISCONNECT, as when the process is killed.
      active.mqtt.disconnectForcibly(0, 0, false);
      active.mqtt.close(true);
      MqttMessage got = seen.poll(TestClient.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      assertNotNull(got, "the will reached the standby");
      assertEquals("released", text(got));
      assertFalse(got.isRetained());

      try (TestClient late =
          TestClient.connect(broker.url(), "planner-c", "planner", "planner-pw")) {
        MqttMessage retained =
            late.subscribe(LEASE).poll(TestClient.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertNotNull(retained, "the retained lease outlives its holder");
        assertEquals("a holds 1", text(retained));
        assertTrue(retained.isRetained());
      }
    }
  }

  @Test
  void plannerMayReadTheLeaseAfterAGracefulDisconnectWithoutTheWill() throws Exception {
    MqttConnectionOptions withWill = TestClient.options("planner", "planner-pw");
    MqttMessage will = new MqttMessage("released".getBytes(StandardCharsets.UTF_8));
    will.setQos(1);
    withWill.setWill(LEASE, will);
    try (TestClient standby =
        TestClient.connect(broker.url(), "planner-d", "planner", "planner-pw")) {
      BlockingQueue<MqttMessage> seen = standby.subscribe(LEASE);
      seen.poll(1, TimeUnit.SECONDS); // a retained lease from another test, if any
      seen.clear();
      TestClient active = TestClient.connect(broker.url(), "planner-e", withWill);
      active.close(); // DISCONNECT 0x00: no will, so a graceful stop must release the lease itself
      assertNull(seen.poll(1, TimeUnit.SECONDS));
    }
  }

  @Test
  void noOtherRoleMayPublishTheLease() throws Exception {
    for (String[] user :
        List.of(
            new String[] {"cam-l", "camera-1", "camera-pw"},
            new String[] {"w1", "w1", "w1-pw"},
            new String[] {"mes-l", "mes-1", "mes-pw"})) {
      try (TestClient c = TestClient.connect(broker.url(), user[0], user[1], user[2])) {
        try {
          c.publish(LEASE, "mine now");
        } catch (MqttException refusedByPuback) {
          // the disconnect follows either way
        }
        assertEquals(0x87, c.brokerDisconnect.get(5, TimeUnit.SECONDS), user[1]);
      }
    }
  }

  private static String text(MqttMessage m) {
    return m == null ? null : new String(m.getPayload(), StandardCharsets.UTF_8);
  }
}
