package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedi.broker.mosquitto.MosquittoProcess;
import io.edgedi.camera.CameraGateway;
import io.edgedi.camera.source.SyntheticSource;
import io.edgedi.cluster.Await;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole line on a plant's own broker: Eclipse Mosquitto 2 started on a free loopback port with
 * the ACL and password file generated from the role table; camera gateway -> planner -> workers ->
 * MES (Avro and the JSON mirror), each with its own role's account. Skipped, with the reason shown,
 * where Mosquitto is not installed.
 */
class MosquittoPipelineIT {

  private static final int FRAMES = 6;

  @TempDir Path folder;

  @Test
  void everyCameraFrameIsClassifiedOnceOverMosquittoAndEqualsMonolithicInference()
      throws Exception {
    assumeTrue(
        MosquittoProcess.binary().isPresent(),
        "SKIPPED: mosquitto is not installed (Debian: apt-get install mosquitto)");
    FoldedWeights weights =
        FoldedWeights.fold(
            RandomWeights.create(ModelZoo.byName("resnet18-scar"), 4), "random-seed-4");
    Topics topics = new Topics(ClusterFixture.SITE);
    MessageCodec<Classification> results = Wire.CLASSIFICATION.codec();
    ObjectMapper json = new ObjectMapper();
    Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    Map<String, Classification> byFrame = new ConcurrentHashMap<>();
    Map<String, String> jsonClass = new ConcurrentHashMap<>();
    Map<String, Frame> published = new ConcurrentHashMap<>();
    try (ClusterFixture cluster = ClusterFixture.onMosquitto(weights, 2, folder);
        MqttLink mes = new MqttLink(cluster.settings("mes", "mes-mosquitto"));
        MqttLink camera = new MqttLink(cluster.settings("camera", "cam1-gateway"))) {
      mes.connect(null, true);
      mes.subscribe(
          topics.allClassifications(),
          (topic, payload) -> {
            try {
              Classification c = results.decode(payload);
              deliveries.merge(c.getFrameId(), 1, Integer::sum);
              byFrame.put(c.getFrameId(), c);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      mes.subscribe(
          topics.allClassificationsJson(),
          (topic, payload) -> {
            try {
              var node = json.readTree(payload);
              jsonClass.put(node.get("frameId").asText(), node.get("className").asText());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      camera.connect(null, true);
      CameraGateway gateway =
          CameraGateway.mqtt(camera, topics, new SyntheticSource(7, FRAMES))
              .line("line1")
              .camera("cam1")
              .framesPerSecond(0)
              .listener(frame -> published.put(frame.getFrameId(), frame))
              .build();
      CameraGateway.Stats stats = gateway.run();
      assertEquals(FRAMES, stats.published(), "camera gateway: " + stats);
      assertEquals(0, stats.rejected(), "camera gateway: " + stats);

      Await.until(
          () ->
              byFrame.keySet().containsAll(published.keySet())
                  && jsonClass.keySet().containsAll(published.keySet()),
          120_000);
      // The planner published each frame's classification once: any second delivery is the
      // broker's.
      assertEquals(FRAMES, cluster.planner.classified(), "classifications published");
      for (String id : published.keySet()) {
        assertTrue(
            byFrame.containsKey(id),
            "frame "
                + id
                + " not classified; got "
                + byFrame.keySet()
                + "; mosquitto log: "
                + cluster.local.mosquitto().log());
        assertEquals(
            1, deliveries.get(id), "frame " + id + " classified " + deliveries.get(id) + " times");
        assertEquals(byFrame.get(id).getClassName(), jsonClass.get(id), "JSON mirror of " + id);
      }
      LineFixture.assertExact(weights, published, byFrame);
    }
  }
}
