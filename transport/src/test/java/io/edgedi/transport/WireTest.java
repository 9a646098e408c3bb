package io.edgedi.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.schemas.codec.MessageCodec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {
  private final Topics t = new Topics("plant1");

  @Test
  void everyMessageTypeIsRegisteredOnce() {
    assertEquals(MessageCodec.MESSAGE_TYPES, Wire.ALL.stream().map(WireMessage::type).toList());
  }

  @Test
  void topicsBuildWhatThePatternsSay() {
    Map<WireMessage<?>, String> built =
        Map.of(
            Wire.FRAME, t.frames("line1", "cam1"),
            Wire.TELEMETRY, t.telemetry("pi-3"),
            Wire.FRAME_TASK, t.tasks("pi-3"),
            Wire.PEER_ROWS, t.peer("pi-3", "pi-1"),
            Wire.PEER_SUMS, t.peer("pi-3", "pi-1"),
            Wire.BAND_RESULT, t.partials("p1"),
            Wire.PARTITION_PLAN, t.plans(),
            Wire.CLASSIFICATION, t.classifications("line1", "cam1"),
            Wire.ERROR, t.errors("cam1"),
            Wire.PLANNER_LEASE, t.plannerLease());
    assertEquals(Wire.ALL.size(), built.size());
    built.forEach(
        (message, topic) -> {
          String regex =
              message
                  .topicPattern()
                  .replace("{site}", "plant1")
                  .replaceAll("\\{[a-z]+\\}", "[^/]+");
          assertTrue(topic.matches(regex), message + " vs " + topic);
        });
  }

  @Test
  void everyPayloadFitsThroughTheBroker() {
    for (WireMessage<?> m : Wire.ALL) {
      assertTrue(m.maxPayloadBytes() <= Wire.LARGEST_PAYLOAD_BYTES, m.toString());
    }
    assertTrue(
        Wire.FRAME_BYTES + (1 << 20) <= Wire.FRAME_TASK.maxPayloadBytes(),
        "a task carries up to a whole frame's rows and its plan");
  }
}
