package io.edgedi.planner.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.StageCost;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A frame attempt takes only results that fit its plan, and adds the head sums in band order. */
class FrameAttemptTest {
  private final ModelSpec model = ModelZoo.byName("vgg16-scar", 64, 64);
  private final int channels = model.shape(model.lastNode()).channels();
  private final int height = model.shape(model.lastNode()).height();

  /** Stage 0 split a/b, stage 1 (to the end) split b/c: a reports no head sums. */
  private FrameAttempt attempt() {
    List<Integer> cuts = model.cutPoints();
    int mid = cuts.get(cuts.size() / 2);
    int h = model.shape(mid - 1).height();
    AssignedStage s0 =
        new AssignedStage(
            new Stage(1, mid),
            List.of(new RowRange(0, h / 2), new RowRange(h / 2, h)),
            List.of("a", "b"),
            List.of(1.0, 1.0));
    AssignedStage s1 =
        new AssignedStage(
            new Stage(mid, model.size()),
            List.of(new RowRange(0, 1), new RowRange(1, height)),
            List.of("b", "c"),
            List.of(1.0, 1.0));
    return new FrameAttempt(0, new FramePlan("p", "test", List.of(s0, s1)), model, Long.MAX_VALUE);
  }

  private static StageCost cost(
      int stage, int band, long compute, List<Long> roundCompute, List<Long> roundWait) {
    return StageCost.newBuilder()
        .setStageIndex(stage)
        .setBandIndex(band)
        .setComputeMicros(compute)
        .setRuns(1)
        .setCold(false)
        .setInputWaitMicros(0)
        .setInputBytes(0)
        .setRoundComputeMicros(roundCompute)
        .setRoundWaitMicros(roundWait)
        .build();
  }

  private BandResult.Builder result(
      String worker, int headStart, int headEnd, double value, StageCost... costs) {
    return BandResult.newBuilder()
        .setFrameId("f")
        .setPlanId("p")
        .setAttempt(0)
        .setWorkerId(worker)
        .setHeadRowStart(headStart)
        .setHeadRowEnd(headEnd)
        .setHeadSums(headEnd > headStart ? Collections.nCopies(channels, value) : List.of())
        .setStages(List.of(costs))
        .setReceivedAtMicros(0)
        .setSentAtMicros(0);
  }

  @Test
  void completesWithEveryWorkerAndAddsTheHeadSumsInBandOrder() {
    FrameAttempt a = attempt();
    a.accept(result("c", 1, height, 0.25, cost(1, 1, 900, List.of(400L), List.of(30L))).build());
    a.accept(result("a", 0, 0, 0, cost(0, 0, 500, List.of(200L), List.of(50L))).build());
    assertFalse(a.complete());
    assertEquals(List.of("b"), a.pendingWorkers());
    a.accept(
        result(
                "b",
                0,
                1,
                1.5,
                cost(0, 1, 600, List.of(250L), List.of(10L)),
                cost(1, 0, 700, List.of(300L), List.of(120L)))
            .build());
    assertTrue(a.complete());
    double[] want = new double[channels];
    java.util.Arrays.fill(want, 1.75);
    assertArrayEquals(want, a.headSums());
    assertArrayEquals(new long[] {500, 600}, a.bandComputeMicros().get(0));
    assertArrayEquals(new long[] {700, 900}, a.bandComputeMicros().get(1));
    // A round costs the slowest band's compute plus what the last band to finish still waited.
    List<ReduceRound> rounds = a.reduceRounds();
    assertEquals(2, rounds.size());
    assertEquals(new ReduceRound(250 + 10, 250), rounds.get(0));
    assertEquals(new ReduceRound(400 + 30, 400), rounds.get(1));
  }

  @Test
  void resultsThatDoNotFitThePlanAreRefused() {
    FrameAttempt a = attempt();
    assertThrows(
        IllegalArgumentException.class,
        () -> a.accept(result("d", 0, 0, 0).build()),
        "not in the plan");
    assertThrows(
        IllegalArgumentException.class,
        () -> a.accept(result("a", 0, 0, 0, cost(0, 1, 1, List.of(), List.of())).build()),
        "b's band");
    assertThrows(
        IllegalArgumentException.class,
        () -> a.accept(result("a", 0, 1, 1.0).build()),
        "a has no trunk band");
    assertThrows(
        IllegalArgumentException.class,
        () -> a.accept(result("c", 0, height, 1.0).build()),
        "c's band starts at row 1");
    assertThrows(
        IllegalArgumentException.class, () -> a.accept(result("c", 1, height, Double.NaN).build()));
    List<Double> short1 = new ArrayList<>(Collections.nCopies(channels - 1, 1.0));
    assertThrows(
        IllegalArgumentException.class,
        () -> a.accept(result("c", 1, height, 1.0).setHeadSums(short1).build()));
    a.accept(result("a", 0, 0, 0).build());
    assertThrows(
        IllegalArgumentException.class, () -> a.accept(result("a", 0, 0, 0).build()), "twice");
  }
}
