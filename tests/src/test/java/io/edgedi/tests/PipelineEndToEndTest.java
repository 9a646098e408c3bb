package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import io.edgedi.cluster.Await;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.PartitionPlan;
import io.edgedi.inference.partition.PartitionedInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Clock;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class PipelineEndToEndTest {

  /** One frame at a time across all workers. */
  @Test
  void everyFrameIsClassifiedExactlyOnceAndEqualsMonolithicInference() throws Exception {
    long groupRuns = sendAndCheck(false, 6);
    assertEquals(0, groupRuns);
  }

  /** Frames sent back to back queue up; the planner runs some side by side on worker groups. */
  @Test
  void queuedFramesRunSideBySideOnWorkerGroupsAndStayExact() throws Exception {
    long groupRuns = sendAndCheck(true, 9);
    assertTrue(groupRuns > 0, "no frame batch ran on worker groups");
  }

  /** Sends {@code count} frames at once, checks them; returns how often the planner ran frames on worker groups. */
  private static long sendAndCheck(boolean queueGroups, int count) throws Exception {
    ModelSpec model = ModelZoo.byName("resnet18-scar");
    FoldedWeights weights = FoldedWeights.fold(RandomWeights.create(model, 4), "random-seed-4");
    Topics topics = new Topics(ClusterFixture.SITE);
    MessageCodec<Frame> frames = new MessageCodec<>(Frame.class, 1 << 20);
    MessageCodec<Classification> results = new MessageCodec<>(Classification.class, 1 << 20);
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    Map<String, Classification> byFrame = new ConcurrentHashMap<>();
    Map<String, GrayImage> sent = new HashMap<>();
    try (ClusterFixture cluster = ClusterFixture.inMemory(weights, 3, queueGroups);
         MqttLink mes = new MqttLink(cluster.settings("mes", "mes-e2e"));
         MqttLink camera = new MqttLink(cluster.settings("camera", "camera-e2e"))) {
      mes.connect(null, true);
      mes.subscribe(topics.allClassifications(), (topic, payload) -> {
        try {
          Classification c = results.decode(payload);
          seen.merge(c.getFrameId(), 1, Integer::sum);
          byFrame.put(c.getFrameId(), c);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      camera.connect(null, true);
      SyntheticDefectGenerator gen = new SyntheticDefectGenerator();
      for (int i = 0; i < count; i++) {
        DefectClass kind = DefectClass.ofIndex(i % 6);
        GrayImage img = gen.generate(kind, 100 + i);
        String id = "cam1-e2e-" + i;
        sent.put(id, img);
        Frame f = Frame.newBuilder().setFrameId(id).setSite(ClusterFixture.SITE).setLine("line1")
            .setCamera("cam1").setSequence(i).setCapturedAtMicros(Clock.micros()).setWidth(200)
            .setHeight(200).setChannels(1).setPixels(ByteBuffer.wrap(img.pixels()))
            .setLabel(kind.folderName()).build();
        camera.publish(topics.frames("line1", "cam1"), frames.encode(f), false);
      }
      Await.until(() -> byFrame.size() >= count, 120_000);
      assertEquals(count, byFrame.size(), "classified: " + byFrame.keySet());
      // The planner published each frame's classification once: any second delivery is the broker's.
      assertEquals(count, cluster.planner.classified(), "classifications published");
      seen.values().forEach(n -> assertEquals(1, n));
      assertEquals(0, cluster.planner.failed());
      try (SliceRunner runner = new SliceRunner(weights)) {
        PartitionedInference local = new PartitionedInference(runner);
        for (Map.Entry<String, GrayImage> e : sent.entrySet()) {
          float[] px = new float[200 * 200];
          byte[] b = e.getValue().pixels();
          for (int i = 0; i < px.length; i++) {
            px[i] = (b[i] & 0xff) / 255f;
          }
          float[] want = local.run(PartitionPlan.monolithic(model), FeatureMap.whole(200, 200, 1, px)).logits();
          List<Float> got = byFrame.get(e.getKey()).getLogits();
          float[] g = new float[got.size()];
          for (int i = 0; i < g.length; i++) {
            g[i] = got.get(i);
          }
          double diff = ExactnessCheck.maxAbsDiff(want, g);
          assertTrue(diff <= 1e-4, e.getKey() + " differs from monolithic by " + diff);
        }
      }
      Classification c = byFrame.get("cam1-e2e-0");
      assertEquals("crazing", c.getLabel());
      assertEquals(weights.version(), c.getWeightsVersion());
      assertTrue(c.getPlanId().startsWith("planner-"));
      return cluster.planner.groupRuns();
    }
  }
}
