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
    assertEquals("edgedi/v1/plant1/workers/pi-3/tiles", t.tiles("pi-3"));
    assertEquals("edgedi/v1/plant1/planners/p1/partials", t.partials("p1"));
    assertEquals("edgedi/v1/plant1/line1/classifications-json/cam1", t.classificationsJson("line1", "cam1"));
    assertEquals("edgedi/v1/plant1/errors/cam1", t.errors("cam1"));
  }

  @Test
  void idsThatWouldBreakTheTreeAreRefused() {
    for (String bad : new String[] {"+", "#", "a/b", "", " x", "x y"}) {
      assertThrows(IllegalArgumentException.class, () -> t.tiles(bad), bad);
    }
  }

  @Test
  void topicsParseBack() {
    assertEquals("pi-3", t.workerOfTelemetry(t.telemetry("pi-3")));
    assertNull(t.workerOfTelemetry("edgedi/v1/plant1/workers/a/b/telemetry"));
    assertArrayEquals(new String[] {"line1", "cam1"}, t.lineAndCameraOfFrames(t.frames("line1", "cam1")));
    assertNull(t.lineAndCameraOfFrames("edgedi/v1/other/line1/frames/cam1"));
  }

  @Test
  void filtersMatchLikeMqtt() {
    assertTrue(MqttTopicMatch.matches(t.allFrames(), t.frames("l", "c")));
    assertTrue(MqttTopicMatch.matches("edgedi/#", t.frames("l", "c")));
    assertTrue(!MqttTopicMatch.matches(t.allTelemetry(), t.tiles("w")));
    assertTrue(!MqttTopicMatch.matches("a/+", "a/b/c"));
  }

  @Test
  void floatPayloadsRefuseWrongLengthAndNonFiniteValues() {
    var bytes = FloatBytes.encode(new float[] {1f, Float.NaN});
    assertThrows(FloatBytes.NonFiniteException.class, () -> FloatBytes.decode(bytes, 2));
    assertThrows(IllegalArgumentException.class, () -> FloatBytes.decode(FloatBytes.encode(new float[3]), 2));
    assertArrayEquals(new float[] {1f, 2f}, FloatBytes.decode(FloatBytes.encode(new float[] {1f, 2f}), 2));
  }
}
