package io.edgedi.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicsTest {
  private final Topics t = new Topics("plant1");

  @Test
  void topicTreeFollowsTheArchitecture() {
    assertEquals("edgedi/v1/plant1/line1/frames/cam1", t.frames("line1", "cam1"));
    assertEquals("edgedi/v1/plant1/workers/pi-3/telemetry", t.telemetry("pi-3"));
    assertEquals("edgedi/v1/plant1/workers/pi-3/tasks", t.tasks("pi-3"));
    assertEquals("edgedi/v1/plant1/workers/pi-3/peer/pi-1", t.peer("pi-3", "pi-1"));
    assertEquals("edgedi/v1/plant1/planners/p1/partials", t.partials("p1"));
    assertEquals(
        "edgedi/v1/plant1/line1/classifications-json/cam1", t.classificationsJson("line1", "cam1"));
    assertEquals("edgedi/v1/plant1/errors/cam1", t.errors("cam1"));
  }

  @Test
  void idsThatWouldBreakTheTreeAreRefused() {
    for (String bad : new String[] {"+", "#", "a/b", "", " x", "x y"}) {
      assertThrows(IllegalArgumentException.class, () -> t.tasks(bad), bad);
      assertThrows(IllegalArgumentException.class, () -> t.peer("pi-1", bad), bad);
    }
  }

  @Test
  void topicsParseBack() {
    assertEquals("pi-3", t.workerOfTelemetry(t.telemetry("pi-3")));
    assertNull(t.workerOfTelemetry("edgedi/v1/plant1/workers/a/b/telemetry"));
    assertEquals("pi-1", t.senderOfPeer("pi-3", t.peer("pi-3", "pi-1")));
    assertNull(t.senderOfPeer("pi-2", t.peer("pi-3", "pi-1")), "addressed to another worker");
    assertNull(t.senderOfPeer("pi-3", "edgedi/v1/plant1/workers/pi-3/peer/a/b"));
    assertTrue(MqttTopicMatch.matches(t.peersOf("pi-3"), t.peer("pi-3", "pi-1")));
    assertArrayEquals(
        new String[] {"line1", "cam1"}, t.lineAndCameraOfFrames(t.frames("line1", "cam1")));
    assertNull(t.lineAndCameraOfFrames("edgedi/v1/other/line1/frames/cam1"));
  }

  @Test
  void filtersMatchLikeMqtt() {
    assertTrue(MqttTopicMatch.matches(t.allFrames(), t.frames("l", "c")));
    assertTrue(MqttTopicMatch.matches("edgedi/#", t.frames("l", "c")));
    assertTrue(!MqttTopicMatch.matches(t.allTelemetry(), t.tasks("w")));
    assertTrue(!MqttTopicMatch.matches("a/+", "a/b/c"));
  }

  @Test
  void floatPayloadsRefuseWrongLengthAndNonFiniteValues() {
    var bytes = FloatBytes.encode(new float[] {1f, Float.NaN});
    assertThrows(FloatBytes.NonFiniteException.class, () -> FloatBytes.decode(bytes, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> FloatBytes.decode(FloatBytes.encode(new float[3]), 2));
    assertArrayEquals(
        new float[] {1f, 2f}, FloatBytes.decode(FloatBytes.encode(new float[] {1f, 2f}), 2));
  }
}
