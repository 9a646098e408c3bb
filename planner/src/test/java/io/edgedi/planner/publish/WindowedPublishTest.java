package io.edgedi.planner.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.trust.TrustPolicy;
import io.edgedi.inference.window.WindowGrid;
import io.edgedi.inference.window.WindowHead;
import io.edgedi.planner.FrameReport;
import io.edgedi.planner.PlannerListener;
import io.edgedi.planner.aggregate.FrameRun;
import io.edgedi.planner.intake.AcceptedFrame;
import io.edgedi.planner.journal.ClassifiedFrames;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.window.WindowedFrame;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.PartitionPlan;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frame run as windows is published once, with every window's verdict and its worst as the
 * frame's.
 */
class WindowedPublishTest {
  private static final ModelSpec MODEL = ModelZoo.byName("resnet18-scar", 32, 32);
  private static final Topics TOPICS = new Topics("plant1");
  private static final List<String> CLASSES =
      List.of(
          "crazing",
          "inclusion",
          "patches",
          "pitted_surface",
          "rolled-in_scale",
          "scratches",
          "none");

  @TempDir Path state;

  private final List<String> topics = new ArrayList<>();
  private final List<byte[]> payloads = new ArrayList<>();
  private final List<FrameReport> reports = new ArrayList<>();

  /** A head whose logit of class j is the trunk mean of channel j. */
  private static WindowHead head() {
    int c = MODEL.shape(MODEL.lastNode()).channels();
    float[] kernel = new float[c * CLASSES.size()];
    for (int j = 0; j < CLASSES.size(); j++) {
      kernel[j * CLASSES.size() + j] = 1;
    }
    return new WindowHead(
        MODEL.name(), "w7", CLASSES, c, kernel, new float[CLASSES.size()], 1.0, "test");
  }

  private static double[] sums(int channel, double mean) {
    var out = MODEL.shape(MODEL.lastNode());
    double[] s = new double[out.channels()];
    s[channel] = mean * out.height() * out.width();
    return s;
  }

  private ClassificationPublisher publisher(WindowHead head) throws Exception {
    PlannerListener listener =
        new PlannerListener() {
          @Override
          public void onClassified(FrameReport report) {
            reports.add(report);
          }
        };
    return new ClassificationPublisher(
        TOPICS,
        MODEL,
        "w7",
        TrustPolicy.of(Map.of()),
        (topic, payload) -> {
          topics.add(topic);
          payloads.add(payload);
        },
        new ClassifiedFrames(state, 100),
        listener,
        () -> true,
        millis -> {},
        Fence.open(null),
        head);
  }

  /** A textured 80x32 frame: windows at x = 0, 32 and 48. */
  private static WindowedFrame frame() {
    byte[] px = new byte[80 * 32];
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (60 + rnd.nextInt(120));
    }
    Frame f =
        Frame.newBuilder()
            .setFrameId("strip-1")
            .setSite("plant1")
            .setLine("line1")
            .setCamera("cam1")
            .setSequence(1)
            .setCapturedAtMicros(1_000)
            .setWidth(80)
            .setHeight(32)
            .setChannels(1)
            .setPixels(ByteBuffer.wrap(px))
            .setLabel(null)
            .build();
    return new WindowedFrame(
        new AcceptedFrame(f, "line1", "cam1", 2_000, null),
        WindowGrid.adjacent(32, 32).windows(80, 32));
  }

  private static FrameRun.Result result(double[] sums, float[] ownLogits) {
    List<AssignedStage> used =
        List.of(
            new AssignedStage(
                new Stage(1, 3), List.of(new RowRange(0, 32)), List.of("worker-1"), List.of(3.0)));
    return new FrameRun.Result(
        ownLogits, 400, List.<long[]>of(new long[] {400}), used, 0, 0, List.of(), 100, sums);
  }

  private static WindowedFrame.Outcome outcome(
      WindowedFrame w, int i, double[] sums, float[] ownLogits) {
    FramePlan plan = new FramePlan("p-" + i, "optimal", List.of());
    return new WindowedFrame.Outcome(
        w.windows().get(i), plan, result(sums, ownLogits), 1_500 + i, null);
  }

  @Test
  void theFramesVerdictIsItsMostConfidentDefectWindowAndEveryWindowIsListed() throws Exception {
    WindowedFrame w = frame();
    float[] own = new float[6];
    assertFalse(w.record(outcome(w, 0, sums(6, 8), own)), "none, sure");
    assertFalse(w.record(outcome(w, 1, sums(5, 2), own)), "scratches, unsure");
    assertTrue(w.record(outcome(w, 2, sums(1, 9), own)), "inclusion, sure");
    assertTrue(publisher(head()).publishWindowed(w));

    assertEquals(
        List.of(
            TOPICS.classifications("line1", "cam1"),
            TOPICS.classificationsJson("line1", "cam1"),
            TOPICS.plans(),
            TOPICS.plans(),
            TOPICS.plans()),
        topics,
        "one classification, a plan per window");
    Classification c = new MessageCodec<>(Classification.class, 1 << 20).decode(payloads.get(0));
    assertEquals("strip-1", c.getFrameId());
    assertEquals("inclusion", c.getClassName());
    assertEquals(CLASSES, c.getClassNames());
    assertEquals(3, c.getWindows().size());
    assertEquals(
        List.of("none", "scratches", "inclusion"),
        c.getWindows().stream().map(v -> v.getClassName()).toList());
    assertEquals(List.of(0, 32, 48), c.getWindows().stream().map(v -> v.getX()).toList());
    assertEquals(c.getConfidence(), c.getWindows().get(2).getConfidence());
    assertFalse(c.getTrusted(), "the unsure scratches window needs a person");
    assertEquals(List.of("LOW_CONFIDENCE"), c.getUntrustedReasons());
    assertEquals(1_200, c.getComputeMicros(), "the windows' compute added up");
    assertEquals(9f, c.getLogits().get(1), 1e-5, "the verdict window's head logits");
    PartitionPlan plan = new MessageCodec<>(PartitionPlan.class, 1 << 20).decode(payloads.get(3));
    assertEquals("strip-1#w1", plan.getFrameId());

    JsonNode json = new ObjectMapper().readTree(payloads.get(1));
    assertEquals(3, json.get("windows").size());
    assertEquals("none", json.get("windows").get(0).get("className").asText());
    assertEquals(48, json.get("windows").get(2).get("x").asInt());
    assertEquals(1, reports.size());
    assertEquals(80, reports.get(0).frame().getWidth(), "observers get the whole strip");
  }

  @Test
  void aStripWithoutDefectsIsNoneByItsLeastSureWindow() throws Exception {
    WindowedFrame w = frame();
    float[] own = new float[6];
    w.record(outcome(w, 0, sums(6, 9), own));
    w.record(outcome(w, 1, sums(6, 5), own));
    w.record(outcome(w, 2, sums(6, 7), own));
    assertTrue(publisher(head()).publishWindowed(w));
    Classification c = new MessageCodec<>(Classification.class, 1 << 20).decode(payloads.get(0));
    assertEquals("none", c.getClassName());
    assertEquals(c.getWindows().get(1).getConfidence(), c.getConfidence());
    assertTrue(c.getTrusted());
  }

  @Test
  void withoutAWindowHeadWindowsUseTheModelsOwnHead() throws Exception {
    WindowedFrame w = frame();
    w.record(outcome(w, 0, sums(0, 1), new float[] {0, 0, 0, 0, 0, 9}));
    w.record(outcome(w, 1, sums(0, 1), new float[] {9, 0, 0, 0, 0, 0}));
    w.record(outcome(w, 2, sums(0, 1), new float[] {0, 0, 12, 0, 0, 0}));
    assertTrue(publisher(null).publishWindowed(w));
    Classification c = new MessageCodec<>(Classification.class, 1 << 20).decode(payloads.get(0));
    assertEquals(MODEL.classNames(), c.getClassNames());
    assertEquals("patches", c.getClassName());
    assertEquals(
        List.of("scratches", "crazing", "patches"),
        c.getWindows().stream().map(v -> v.getClassName()).toList());
  }
}
