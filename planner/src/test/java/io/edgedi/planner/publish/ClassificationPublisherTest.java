package io.edgedi.planner.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.trust.TrustPolicy;
import io.edgedi.planner.FrameReport;
import io.edgedi.planner.PlannerListener;
import io.edgedi.planner.aggregate.FrameRun;
import io.edgedi.planner.intake.AcceptedFrame;
import io.edgedi.planner.journal.ClassifiedFrames;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.PartitionPlan;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationPublisherTest {
  private static final ModelSpec MODEL = ModelZoo.byName("resnet18-scar", 32, 32);
  private static final Topics TOPICS = new Topics("plant1");
  private static final String AVRO = TOPICS.classifications("line1", "cam1");
  private static final String JSON = TOPICS.classificationsJson("line1", "cam1");
  private static final String PLANS = TOPICS.plans();

  /** What went out, and whether the journal held the frame at that moment. */
  private record Sent(String topic, byte[] payload, boolean journalled) {}

  /** Records every try; fails the tries on a topic while its failure count lasts. */
  private final class Outbox implements MessageOutbox {
    final List<Sent> tries = new ArrayList<>();
    final List<Sent> sent = new ArrayList<>();
    int avroFailures;
    int jsonFailures;

    @Override
    public void publish(String topic, byte[] payload) throws MqttException {
      Sent s = new Sent(topic, payload, journal.contains("f1"));
      tries.add(s);
      if (topic.equals(AVRO) && avroFailures > 0 || topic.equals(JSON) && jsonFailures > 0) {
        if (topic.equals(AVRO)) {
          avroFailures--;
        } else {
          jsonFailures--;
        }
        throw new MqttException(
            org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED);
      }
      sent.add(s);
    }

    List<String> sentTopics() {
      return sent.stream().map(Sent::topic).toList();
    }
  }

  @TempDir Path state;
  private ClassifiedFrames journal;
  private final Outbox outbox = new Outbox();
  private final List<Long> pauses = new ArrayList<>();
  private final List<FrameReport> reports = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  @BeforeEach
  void setUp() throws IOException {
    journal = new ClassifiedFrames(state, 100);
  }

  private ClassificationPublisher publisher() {
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
        outbox,
        journal,
        listener,
        running::get,
        pauses::add);
  }

  private static AcceptedFrame frame() {
    byte[] texture = new byte[32 * 32];
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    for (int i = 0; i < texture.length; i++) {
      texture[i] = (byte) (60 + rnd.nextInt(120));
    }
    return frame(texture);
  }

  private static AcceptedFrame frame(byte[] pixels) {
    Frame f =
        Frame.newBuilder()
            .setFrameId("f1")
            .setSite("plant1")
            .setLine("line1")
            .setCamera("cam1")
            .setSequence(1)
            .setCapturedAtMicros(1_000)
            .setWidth(32)
            .setHeight(32)
            .setChannels(1)
            .setPixels(ByteBuffer.wrap(pixels))
            .setLabel("patches")
            .build();
    return new AcceptedFrame(f, "line1", "cam1", 2_000, null);
  }

  private static FramePlan plan() {
    return new FramePlan(
        "p-1",
        "optimal",
        List.of(
            new AssignedStage(
                new Stage(1, 3), List.of(new RowRange(0, 32)), List.of("worker-1"), List.of(5.0))));
  }

  /**
   * Logits favouring class 2 ("patches"); the run ended on two bands instead of the planned one.
   */
  private static FrameRun.Result result() {
    List<AssignedStage> used =
        List.of(
            new AssignedStage(
                new Stage(1, 3),
                List.of(new RowRange(0, 20), new RowRange(20, 32)),
                List.of("worker-1", "worker-2"),
                List.of(3.0, 3.0)));
    return new FrameRun.Result(
        new float[] {0, 0, 4, 0, 0, 1},
        500,
        List.<long[]>of(new long[] {300, 280}),
        used,
        1,
        0,
        List.of(),
        1234,
        new double[0]);
  }

  @Test
  void publishesClassificationThenJournalThenMirrorAndPlan() throws Exception {
    ClassificationPublisher p = publisher();
    assertTrue(p.publish(frame(), plan(), result(), 1_500));
    assertEquals(List.of(AVRO, JSON, PLANS), outbox.sentTopics());
    assertFalse(outbox.sent.get(0).journalled(), "journalled before the classification was out");
    assertTrue(
        outbox.sent.get(1).journalled(), "the JSON mirror went out before the journal entry");
    assertTrue(outbox.sent.get(2).journalled());
    assertEquals(1, p.classified());
    assertEquals(1, reports.size());
    assertTrue(pauses.isEmpty());

    Classification c = Wire.CLASSIFICATION.codec().decode(outbox.sent.get(0).payload());
    assertEquals("f1", c.getFrameId());
    assertEquals("patches", c.getClassName());
    assertEquals(2, c.getClassIndex());
    assertEquals("p-1", c.getPlanId());
    assertEquals("w7", c.getWeightsVersion());
    assertEquals(500, c.getQueueMicros());
    String json = new String(outbox.sent.get(1).payload(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"f1\"") && json.contains("patches"), json);
    PartitionPlan plan = Wire.PARTITION_PLAN.codec().decode(outbox.sent.get(2).payload());
    assertEquals(
        2, plan.getStages().get(0).getBands().size(), "the plan as run, not as first planned");
    assertEquals("f1", plan.getFrameId());
  }

  @Test
  void retriesWithGrowingPausesWhileTheClassificationCannotGoOut() throws Exception {
    outbox.avroFailures = 7;
    ClassificationPublisher p = publisher();
    assertTrue(p.publish(frame(), plan(), result(), 1_500));
    assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L), pauses);
    assertEquals(8, outbox.tries.stream().filter(s -> s.topic().equals(AVRO)).count());
    assertEquals(List.of(AVRO, JSON, PLANS), outbox.sentTopics());
    assertTrue(journal.contains("f1"));
    assertEquals(1, p.classified());
    assertEquals(1, reports.size());
  }

  @Test
  void failingMirrorAfterTheJournalEntryIsNotRetried() throws Exception {
    outbox.jsonFailures = 1;
    ClassificationPublisher p = publisher();
    assertTrue(p.publish(frame(), plan(), result(), 1_500));
    assertEquals(List.of(AVRO), outbox.sentTopics(), "classification out once, nothing sent twice");
    assertTrue(pauses.isEmpty());
    assertEquals(1, p.classified());
    assertTrue(reports.isEmpty(), "listeners hear only of frames published in full");
  }

  @Test
  void givesUpUnjournalledWhenThePlannerStopsWhileTheBrokerIsAway() throws Exception {
    outbox.avroFailures = Integer.MAX_VALUE;
    ClassificationPublisher p =
        new ClassificationPublisher(
            TOPICS,
            MODEL,
            "w7",
            TrustPolicy.of(Map.of()),
            outbox,
            journal,
            new PlannerListener() {},
            running::get,
            millis -> {
              if (pauses.size() == 2) {
                running.set(false);
              }
              pauses.add(millis);
            });
    assertFalse(p.publish(frame(), plan(), result(), 1_500));
    assertEquals(3, outbox.tries.size());
    assertFalse(journal.contains("f1"));
    assertEquals(0, p.classified());
  }

  @Test
  void confidenceIsCalibratedAndUnusableFramesAreMarkedUntrusted() throws Exception {
    TrustPolicy policy = TrustPolicy.of(Map.of(TrustPolicy.TEMPERATURE, "1.5"));
    ClassificationPublisher p =
        new ClassificationPublisher(
            TOPICS,
            MODEL,
            "w7",
            policy,
            outbox,
            journal,
            new PlannerListener() {},
            running::get,
            pauses::add);
    MessageCodec<Classification> codec = Wire.CLASSIFICATION.codec();

    assertTrue(p.publish(frame(), plan(), result(), 1_500));
    Classification c = codec.decode(outbox.sent.get(0).payload());
    // Logits {0,0,4,0,0,1} at temperature 1.5: e^(4/1.5) / (4 + e^(4/1.5) + e^(1/1.5)), about 0.71.
    double expected = Math.exp(4 / 1.5) / (4 + Math.exp(4 / 1.5) + Math.exp(1 / 1.5));
    assertEquals(expected, c.getConfidence(), 1e-5);
    assertEquals(1.5f, c.getTemperature());
    assertTrue(c.getTrusted(), c.getUntrustedReasons().toString());

    outbox.sent.clear();
    journal = new ClassifiedFrames(state.resolve("second"), 100);
    p =
        new ClassificationPublisher(
            TOPICS,
            MODEL,
            "w7",
            policy,
            outbox,
            journal,
            new PlannerListener() {},
            running::get,
            pauses::add);
    assertTrue(p.publish(frame(new byte[32 * 32]), plan(), result(), 1_500));
    c = codec.decode(outbox.sent.get(0).payload());
    assertFalse(c.getTrusted());
    assertEquals(
        List.of("BLANK", "SATURATED"),
        c.getUntrustedReasons().stream().map(Object::toString).toList());
    String json = new String(outbox.sent.get(1).payload(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"trusted\":false") && json.contains("\"BLANK\""), json);
  }

  /**
   * A fence that opens (epoch 4) or settles the frame elsewhere after {@code closedPauses} pauses.
   */
  private ClassificationPublisher fenced(int closedPauses, boolean peerClassifiesMeanwhile) {
    long[] epoch = {-1};
    return new ClassificationPublisher(
        TOPICS,
        MODEL,
        "w7",
        TrustPolicy.of(Map.of()),
        outbox,
        journal,
        new PlannerListener() {},
        running::get,
        millis -> {
          pauses.add(millis);
          if (pauses.size() == closedPauses) {
            if (peerClassifiesMeanwhile) {
              try {
                journal.record("f1");
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            } else {
              epoch[0] = 4;
            }
          }
        },
        new Fence() {
          @Override
          public String plannerId() {
            return "planner-b";
          }

          @Override
          public long epochIfActive() {
            return epoch[0];
          }
        },
        null);
  }

  @Test
  void waitsAtTheFenceAndThenPublishesUnderItsEpochMarkedAsAPossibleRepeat() throws Exception {
    ClassificationPublisher p = fenced(3, false);
    assertTrue(p.publish(frame(), plan(), result(), 1_500));
    assertEquals(3, pauses.size());
    assertEquals(List.of(AVRO, JSON, PLANS), outbox.sentTopics());
    Classification c = Wire.CLASSIFICATION.codec().decode(outbox.sent.get(0).payload());
    assertTrue(c.getRepeat(), "the planner active meanwhile may have published it");
    assertEquals("planner-b", c.getPlannerId());
    assertEquals(4, c.getPlannerEpoch());
  }

  @Test
  void frameClassifiedByTheOtherPlannerWhileFencedIsSettledWithoutPublishing() throws Exception {
    ClassificationPublisher p = fenced(2, true);
    assertTrue(p.publish(frame(), plan(), result(), 1_500));
    assertTrue(outbox.tries.isEmpty());
    assertEquals(0, p.classified());
  }

  @Test
  void frameTakenOnAsAPossibleRepeatIsMarkedAndAFreshOneIsNot() throws Exception {
    MessageCodec<Classification> codec = Wire.CLASSIFICATION.codec();
    assertTrue(publisher().publish(frame(), plan(), result(), 1_500));
    assertFalse(codec.decode(outbox.sent.get(0).payload()).getRepeat());
    journal = new ClassifiedFrames(state.resolve("other"), 100);
    assertTrue(publisher().publish(frame().asMayRepeat(), plan(), result(), 1_500));
    Classification again = codec.decode(outbox.sent.get(3).payload());
    assertEquals("f1", again.getFrameId());
    assertTrue(again.getRepeat());
  }
}
