package io.edgedi.schemas.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedi.schemas.Classification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The JSON mirror of a {@link Classification} for MES integrators who do not speak Avro (topic
 * {@code edgedi/v1/{site}/{line}/classifications-json/{camera}}).
 *
 * <p>The field names are a public contract, documented in the module's README.md and pinned by a
 * test: rename nothing, only add. The object is flat except for {@code scores} (class name to
 * probability, so a consumer need not match two arrays by index) and {@code latencyMillis}.
 */
public final class ClassificationJson {

  /**
   * Always six fraction digits and a literal Z: a fixed width sorts as text and every ISO-8601
   * parser reads it (Instant.toString would drop trailing zero digits).
   */
  private static final DateTimeFormatter ISO_UTC_MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  // ObjectMapper is thread-safe once configured; one per process is the usual practice.
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ClassificationJson() {}

  /**
   * The JSON object as a tree, for callers that want to add or inspect fields.
   *
   * @throws IllegalArgumentException if scores and classNames differ in length
   */
  public static ObjectNode toJsonNode(Classification c) {
    List<Float> scores = c.getScores();
    List<String> names = c.getClassNames();
    if (scores.size() != names.size()) {
      throw new IllegalArgumentException(
          "frame "
              + c.getFrameId()
              + ": "
              + scores.size()
              + " scores for "
              + names.size()
              + " class names");
    }
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", c.getSchemaVersion());
    root.put("frameId", c.getFrameId());
    root.put("site", c.getSite());
    root.put("line", c.getLine());
    root.put("camera", c.getCamera());
    root.put("className", c.getClassName());
    root.put("classIndex", c.getClassIndex());
    root.put("confidence", c.getConfidence());
    ObjectNode scoreObject = root.putObject("scores");
    for (int i = 0; i < names.size(); i++) {
      scoreObject.put(names.get(i), scores.get(i)); // insertion order = model class order
    }
    root.put("modelId", c.getModelId());
    root.put("weightsVersion", c.getWeightsVersion());
    root.put("planId", c.getPlanId());
    root.put("label", c.getLabel()); // JSON null when the source is not labelled
    root.put("capturedAt", isoUtc(c.getCapturedAtMicros()));
    root.put("capturedAtMicros", c.getCapturedAtMicros());
    root.put("receivedAt", isoUtc(c.getReceivedAtMicros()));
    root.put("receivedAtMicros", c.getReceivedAtMicros());
    root.put("classifiedAt", isoUtc(c.getClassifiedAtMicros()));
    root.put("classifiedAtMicros", c.getClassifiedAtMicros());
    ObjectNode latency = root.putObject("latencyMillis");
    latency.put("queue", c.getQueueMicros() / 1000.0);
    latency.put("compute", c.getComputeMicros() / 1000.0);
    latency.put("transfer", c.getTransferMicros() / 1000.0);
    // End to end, from capture (camera clock) to verdict (planner clock): what the line sees.
    latency.put("total", (c.getClassifiedAtMicros() - c.getCapturedAtMicros()) / 1000.0);
    // Added after the first release: appended, so the documented order only grows at the end.
    root.put("trusted", c.getTrusted());
    var reasons = root.putArray("untrustedReasons");
    c.getUntrustedReasons().forEach(r -> reasons.add(r.toString()));
    root.put("temperature", c.getTemperature());
    root.put("repeat", c.getRepeat());
    root.put("plannerId", c.getPlannerId());
    root.put("plannerEpoch", c.getPlannerEpoch());
    putWindows(root, c);
    return root;
  }

  /** The {@code windows} array of the classification (empty for a frame of the model's size). */
  public static void putWindows(ObjectNode target, Classification c) {
    var windows = target.putArray("windows");
    for (var w : c.getWindows()) {
      windows
          .addObject()
          .put("x", w.getX())
          .put("y", w.getY())
          .put("width", w.getWidth())
          .put("height", w.getHeight())
          .put("className", w.getClassName())
          .put("classIndex", w.getClassIndex())
          .put("confidence", w.getConfidence())
          .put("trusted", w.getTrusted());
    }
  }

  /** Compact JSON text. */
  public static String toJson(Classification c) {
    try {
      return MAPPER.writeValueAsString(toJsonNode(c));
    } catch (JsonProcessingException e) {
      // Cannot happen for a tree of plain nodes; keep the signature free of checked exceptions.
      throw new IllegalStateException(e);
    }
  }

  /** UTF-8 bytes of {@link #toJson}, ready to publish. */
  public static byte[] toJsonBytes(Classification c) {
    return toJson(c).getBytes(StandardCharsets.UTF_8);
  }

  /** Microseconds since the epoch as ISO-8601 UTC, e.g. {@code 2025-03-01T08:15:30.123456Z}. */
  public static String isoUtc(long epochMicros) {
    Instant instant =
        Instant.ofEpochSecond(
            Math.floorDiv(epochMicros, 1_000_000L),
            Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
    return ISO_UTC_MICROS.format(instant);
  }
}
