package io.edgedi.worker.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.PartitionPlan;
import io.edgedi.inference.partition.PartitionedInference;
import io.edgedi.inference.partition.RandomPlans;
import io.edgedi.inference.partition.StagePlan;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.PeerRows;
import io.edgedi.schemas.PeerSums;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.FloatBytes;
import io.edgedi.worker.DevicePace;
import io.edgedi.worker.RejectedInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workers of one frame in one process, their peer messages delivered in random order: the
 * classification must equal monolithic inference under any plan (random stage cuts, random band
 * heights with one-row bands, other worker sets and orders per stage), and a peer message that does
 * not fit the plan must be refused.
 */
class FramePartTest {
  private static final List<String> WORKERS = List.of("w0", "w1", "w2", "w3");
  private static final Map<String, SliceRunner> RUNNERS = new HashMap<>();

  @BeforeAll
  static void load() {
    for (String name :
        List.of("vgg16-scar", "resnet18-scar", "vgg13", "vgg16-scarp", "resnet18-scarp")) {
      ModelSpec model = ModelZoo.byName(name, 48, 40);
      RUNNERS.put(
          name, new SliceRunner(FoldedWeights.fold(RandomWeights.create(model, 7), "test")));
    }
  }

  @AfterAll
  static void close() {
    RUNNERS.values().forEach(SliceRunner::close);
  }

  /** One message in flight between workers. */
  private record Message(String sender, String receiver, SpecificRecord body) {}

  /**
   * Runs the frame's parts, delivering peer messages in a random order; returns each worker's
   * result.
   */
  private static Map<String, BandResult> runFrame(
      SliceRunner runner, TaskPlan plan, FeatureMap image, Random order) throws RejectedInput {
    List<Message> inFlight = new ArrayList<>();
    Map<String, BandResult> results = new LinkedHashMap<>();
    Map<String, FramePart> parts = new LinkedHashMap<>();
    for (String w : WORKERS) {
      if (!plan.takesPart(w)) {
        continue;
      }
      PeerOutbox out =
          new PeerOutbox() {
            @Override
            public void rows(String receiver, PeerRows rows) {
              inFlight.add(new Message(w, receiver, rows));
            }

            @Override
            public void sums(List<String> receivers, PeerSums sums) {
              receivers.forEach(receiver -> inFlight.add(new Message(w, receiver, sums)));
            }

            @Override
            public void result(String planner, BandResult result) {
              results.put(w, result);
            }
          };
      int band = plan.band(0, w);
      FeatureMap rows = band < 0 ? null : image.slice(plan.geometry(0).inputRows(band));
      parts.put(
          w,
          new FramePart(
              new FramePart.Task("f1", "p1", 0, "planner", Long.MAX_VALUE),
              plan,
              w,
              rows,
              runner,
              DevicePace.off(),
              out,
              0));
    }
    for (FramePart p : parts.values()) {
      p.advance();
    }
    while (!inFlight.isEmpty()) {
      Message m = inFlight.remove(order.nextInt(inFlight.size()));
      FramePart to = parts.get(m.receiver());
      if (m.body() instanceof PeerRows r) {
        to.acceptRows(m.sender(), r, 0);
      } else {
        to.acceptSums(m.sender(), (PeerSums) m.body(), 0);
      }
      to.advance();
    }
    for (FramePart p : parts.values()) {
      assertTrue(p.finished(), "a part is stuck");
    }
    return results;
  }

  private static float[] logits(
      FoldedWeights weights, TaskPlan plan, Map<String, BandResult> results) {
    int channels = weights.model().shape(weights.model().lastNode()).channels();
    double[] sums = new double[channels];
    for (String w : plan.workers(plan.stages() - 1)) {
      for (int i = 0; i < channels; i++) {
        sums[i] += results.get(w).getHeadSums().get(i);
      }
    }
    return ClassifierHead.logitsFromSums(weights, sums);
  }

  /** A random plan with, per stage, a random subset of the workers in a random order. */
  private static TaskPlan randomPlan(ModelSpec model, SplittableRandom rnd) {
    PartitionPlan drawn = RandomPlans.draw(model, WORKERS.size(), rnd);
    List<TaskPlan.StageSpec> specs = new ArrayList<>();
    for (StagePlan s : drawn.stages()) {
      List<String> shuffled = new ArrayList<>(WORKERS);
      Collections.shuffle(shuffled, new Random(rnd.nextLong()));
      List<Integer> starts = new ArrayList<>();
      for (RowRange b : s.bands()) {
        starts.add(b.start());
      }
      starts.add(s.bands().get(s.bands().size() - 1).end());
      specs.add(
          new TaskPlan.StageSpec(
              s.stage().from(), s.stage().to(), starts, shuffled.subList(0, s.bands().size())));
    }
    return TaskPlan.of(model, specs);
  }

  @ParameterizedTest
  @ValueSource(strings = {"vgg16-scar", "resnet18-scar", "vgg13", "vgg16-scarp", "resnet18-scarp"})
  void everyPlanClassifiesLikeMonolithicInference(String name) throws Exception {
    SliceRunner runner = RUNNERS.get(name);
    ModelSpec model = runner.weights().model();
    SplittableRandom rnd = new SplittableRandom(name.hashCode());
    for (int trial = 0; trial < 4; trial++) {
      FeatureMap image = ExactnessCheck.randomImage(model, rnd);
      float[] want =
          new PartitionedInference(runner).run(PartitionPlan.monolithic(model), image).logits();
      TaskPlan plan = randomPlan(model, rnd);
      float[] got =
          logits(runner.weights(), plan, runFrame(runner, plan, image, new Random(trial)));
      double diff = ExactnessCheck.maxAbsDiff(want, got);
      assertTrue(diff <= 1e-4, name + " plan " + trial + " differs by " + diff);
    }
  }

  @Test
  void aWorkerAloneSendsNothingToPeersAndTheWholeHeadToThePlanner() throws Exception {
    SliceRunner runner = RUNNERS.get("vgg16-scar");
    ModelSpec model = runner.weights().model();
    TaskPlan plan =
        TaskPlan.of(
            model,
            List.of(
                new TaskPlan.StageSpec(
                    1,
                    model.size(),
                    List.of(0, model.shape(model.lastNode()).height()),
                    List.of("w2"))));
    FeatureMap image = ExactnessCheck.randomImage(model, new SplittableRandom(3));
    Map<String, BandResult> results = runFrame(runner, plan, image, new Random(1));
    assertEquals(List.of("w2"), List.copyOf(results.keySet()));
    assertEquals(model.shape(model.lastNode()).height(), results.get("w2").getHeadRowEnd());
    int reduces = FramePart.reduceNodes(model, plan.geometry(0)).size();
    assertTrue(reduces >= 12, "vgg16-scar pauses at every SCAR block: " + reduces);
    assertEquals(
        1 + reduces,
        results.get("w2").getStages().get(0).getRuns(),
        "one TF run, plus one per reduce");
  }

  /** Two workers, two stages split in halves (w0 above w1 in both), then w0 alone to the end. */
  private static TaskPlan twoByTwo(ModelSpec model) {
    List<Integer> cuts = model.cutPoints();
    int second = cuts.get(cuts.size() / 2);
    int first = cuts.get(cuts.size() / 4);
    int h1 = model.shape(first - 1).height();
    int h2 = model.shape(second - 1).height();
    return TaskPlan.of(
        model,
        List.of(
            new TaskPlan.StageSpec(1, first, List.of(0, h1 / 2, h1), List.of("w0", "w1")),
            new TaskPlan.StageSpec(first, second, List.of(0, h2 / 2, h2), List.of("w0", "w1")),
            new TaskPlan.StageSpec(
                second,
                model.size(),
                List.of(0, model.shape(model.lastNode()).height()),
                List.of("w0"))));
  }

  private static FramePart part(SliceRunner runner, TaskPlan plan, String me) {
    return new FramePart(
        new FramePart.Task("f1", "p1", 0, "planner", Long.MAX_VALUE),
        plan,
        me,
        null,
        runner,
        DevicePace.off(),
        new PeerOutbox() {
          @Override
          public void rows(String receiver, PeerRows rows) {}

          @Override
          public void sums(List<String> receivers, PeerSums sums) {}

          @Override
          public void result(String planner, BandResult result) {}
        },
        0);
  }

  @Test
  void peerMessagesThatDoNotFitThePlanAreRefused() {
    SliceRunner runner = RUNNERS.get("vgg16-scar");
    ModelSpec model = runner.weights().model();
    TaskPlan plan = twoByTwo(model);
    FramePart w1 = part(runner, plan, "w1");
    RowRange owed = plan.owed(1, "w0", "w1");
    var shape = model.shape(plan.geometry(1).stage().inputNode());
    PeerRows.Builder rows =
        PeerRows.newBuilder()
            .setFrameId("f1")
            .setPlanId("p1")
            .setAttempt(0)
            .setStageIndex(1)
            .setRowStart(owed.start())
            .setRowEnd(owed.end())
            .setWidth(shape.width())
            .setChannels(shape.channels())
            .setData(FloatBytes.encode(new float[owed.size() * shape.width() * shape.channels()]))
            .setSentAtMicros(0);
    assertEquals(
        RejectReason.NOT_IN_PLAN,
        assertThrows(RejectedInput.class, () -> w1.acceptRows("w3", rows.build(), 0)).reason(),
        "a worker outside the plan");
    assertEquals(
        RejectReason.NOT_IN_PLAN,
        assertThrows(
                RejectedInput.class,
                () ->
                    w1.acceptRows(
                        "w0", PeerRows.newBuilder(rows.build()).setStageIndex(0).build(), 0))
            .reason());
    assertEquals(
        RejectReason.WRONG_SIZE,
        assertThrows(
                RejectedInput.class,
                () ->
                    w1.acceptRows(
                        "w0",
                        PeerRows.newBuilder(rows.build()).setRowStart(owed.start() - 1).build(),
                        0))
            .reason());
    float[] nan = new float[owed.size() * shape.width() * shape.channels()];
    nan[3] = Float.NaN;
    assertEquals(
        RejectReason.NOT_FINITE,
        assertThrows(
                RejectedInput.class,
                () ->
                    w1.acceptRows(
                        "w0",
                        PeerRows.newBuilder(rows.build()).setData(FloatBytes.encode(nan)).build(),
                        0))
            .reason());
    assertDoesNotThrow(() -> w1.acceptRows("w0", rows.build(), 0));
    assertEquals(
        RejectReason.DUPLICATE_PEER,
        assertThrows(RejectedInput.class, () -> w1.acceptRows("w0", rows.build(), 0)).reason());

    int node = FramePart.reduceNodes(model, plan.geometry(0)).get(0);
    PeerSums.Builder sums =
        PeerSums.newBuilder()
            .setFrameId("f1")
            .setPlanId("p1")
            .setAttempt(0)
            .setStageIndex(0)
            .setRound(0)
            .setNode(node)
            .setSums(Collections.nCopies(model.shape(node).channels(), 1.0))
            .setSentAtMicros(0);
    assertEquals(
        RejectReason.NOT_IN_PLAN,
        assertThrows(RejectedInput.class, () -> w1.acceptSums("w2", sums.build(), 0)).reason(),
        "not a worker of the stage");
    assertEquals(
        RejectReason.NOT_IN_PLAN,
        assertThrows(
                RejectedInput.class,
                () ->
                    w1.acceptSums(
                        "w0", PeerSums.newBuilder(sums.build()).setNode(node + 1).build(), 0))
            .reason());
    assertEquals(
        RejectReason.NOT_IN_PLAN,
        assertThrows(
                RejectedInput.class,
                () ->
                    w1.acceptSums("w0", PeerSums.newBuilder(sums.build()).setRound(99).build(), 0))
            .reason());
    assertEquals(
        RejectReason.WRONG_SIZE,
        assertThrows(
                RejectedInput.class,
                () ->
                    w1.acceptSums(
                        "w0", PeerSums.newBuilder(sums.build()).setSums(List.of(1.0)).build(), 0))
            .reason());
    assertDoesNotThrow(() -> w1.acceptSums("w0", sums.build(), 0));
    w1.close();
  }

  private static void assertDoesNotThrow(org.junit.jupiter.api.function.Executable e) {
    org.junit.jupiter.api.Assertions.assertDoesNotThrow(e);
  }
}
