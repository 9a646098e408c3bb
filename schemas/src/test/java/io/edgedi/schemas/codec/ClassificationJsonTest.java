package io.edgedi.schemas.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedi.schemas.Classification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON field names are a contract with MES integrators (README.md): pinned here. */
class ClassificationJsonTest {

  @Test
  void fieldNamesAndOrderArePinned() {
    JsonNode json = ClassificationJson.toJsonNode(Samples.classification());
    assertEquals(
        List.of(
            "schemaVersion",
            "frameId",
            "site",
            "line",
            "camera",
            "className",
            "classIndex",
            "confidence",
            "scores",
            "modelId",
            "weightsVersion",
            "planId",
            "label",
            "capturedAt",
            "capturedAtMicros",
            "receivedAt",
            "receivedAtMicros",
            "classifiedAt",
            "classifiedAtMicros",
            "latencyMillis",
            "trusted",
            "untrustedReasons",
            "temperature",
            "repeat",
            "plannerId",
            "plannerEpoch",
            "windows"),
        names(json));
    assertEquals(Samples.CLASS_NAMES, names(json.get("scores")));
    assertEquals(
        List.of("queue", "compute", "transfer", "total"), names(json.get("latencyMillis")));
  }

  @Test
  void wholeDocumentIsPinned() {
    String expected =
        "{\"schemaVersion\":1,\"frameId\":\"cam1-000042\",\"site\":\"plant-a\","
            + "\"line\":\"line-3\",\"camera\":\"cam1\",\"className\":\"scratches\",\"classIndex\":5,"
            + "\"confidence\":0.75,\"scores\":{\"crazing\":0.05,\"inclusion\":0.05,"
            + "\"patches\":0.05,\"pitted_surface\":0.05,\"rolled-in_scale\":0.05,"
            + "\"scratches\":0.75},\"modelId\":\"scar-vgg16\",\"weightsVersion\":\"w-2025-03-01\","
            + "\"planId\":\"plan-7\",\"label\":\"scratches\","
            + "\"capturedAt\":\"2025-03-01T08:15:30.000000Z\",\"capturedAtMicros\":1740816930000000,"
            + "\"receivedAt\":\"2025-03-01T08:15:30.002000Z\",\"receivedAtMicros\":1740816930002000,"
            + "\"classifiedAt\":\"2025-03-01T08:15:30.052500Z\","
            + "\"classifiedAtMicros\":1740816930052500,"
            + "\"latencyMillis\":{\"queue\":1.5,\"compute\":40.0,\"transfer\":8.0,\"total\":52.5},"
            + "\"trusted\":true,\"untrustedReasons\":[],\"temperature\":1.0,"
            + "\"repeat\":false,\"plannerId\":null,\"plannerEpoch\":0,\"windows\":[]}";
    assertEquals(expected, ClassificationJson.toJson(Samples.classification()));
    assertEquals(
        expected,
        new String(
            ClassificationJson.toJsonBytes(Samples.classification()), StandardCharsets.UTF_8));
  }

  @Test
  void missingLabelIsJsonNull() throws Exception {
    Classification c = Samples.classification();
    c.setLabel(null);
    JsonNode json = new ObjectMapper().readTree(ClassificationJson.toJson(c));
    assertTrue(json.has("label"));
    assertTrue(json.get("label").isNull());
  }

  @Test
  void timestampsAreIsoUtcWithMicroseconds() {
    assertEquals("1970-01-01T00:00:00.000000Z", ClassificationJson.isoUtc(0));
    assertEquals("1969-12-31T23:59:59.999999Z", ClassificationJson.isoUtc(-1));
    String text = ClassificationJson.isoUtc(1_740_816_930_123_456L);
    assertEquals("2025-03-01T08:15:30.123456Z", text);
    assertEquals(Instant.ofEpochSecond(1_740_816_930L, 123_456_000L), Instant.parse(text));
  }

  @Test
  void scoresAndNamesOfDifferentLengthAreRefused() {
    Classification c = Samples.classification();
    c.setScores(List.of(1f));
    assertThrows(IllegalArgumentException.class, () -> ClassificationJson.toJson(c));
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
