package io.edgedi.planner.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.schemas.PartialOutput;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageAttemptRoundsTest {
  private static final ModelSpec MODEL = ModelZoo.byName("vgg16-scar", 32, 32);
  private static final FoldedWeights WEIGHTS = FoldedWeights.fold(RandomWeights.create(MODEL, 3), "t");

  private static List<Integer> attentions() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < MODEL.size(); i++) {
      if (MODEL.node(i).op() instanceof Op.ChannelAttention) {
        out.add(i);
      }
    }
    return out;
  }

  private static PartialOutput reduce(int band, String worker, int node, long computeSoFar) {
    int channels = ((Op.ChannelAttention) MODEL.node(node).op()).channels();
    return PartialOutput.newBuilder().setFrameId("f").setPlanId("p").setStageIndex(0).setWorkerId(worker)
        .setBandIndex(band).setAttempt(0).setAttentionNode(node)
        .setPartialSums(new ArrayList<>(Collections.nCopies(channels, 1.0)))
        .setRowStart(0).setRowEnd(0).setHeight(0).setWidth(0).setChannels(0).setData(ByteBuffer.allocate(0))
        .setReceivedAtMicros(0).setSentAtMicros(0).setComputeMicros(computeSoFar).build();
  }

  @Test
  void eachCompletedRoundRecordsItsSlowestBandsComputeInThatRound() throws Exception {
    List<Integer> att = attentions();
    assertTrue(att.size() >= 2, "vgg16-scar has channel attentions");
    int to = MODEL.cutPoints().stream().filter(c -> c > att.get(1)).findFirst().orElseThrow();
    int rows = MODEL.shape(to - 1).height();
    AssignedStage stage = new AssignedStage(new Stage(1, to),
        List.of(new RowRange(0, rows / 2), new RowRange(rows / 2, rows)), List.of("a", "b"), List.of(1.0, 1.0));
    StageAttempt a = new StageAttempt(0, stage, WEIGHTS, Long.MAX_VALUE);

    // Round 1: band a computed 3 ms, band b 5 ms; computeMicros is cumulative per band.
    assertNull(a.accept(reduce(0, "a", att.get(0), 3_000)));
    assertTrue(a.rounds().isEmpty(), "a round ends only with the last band's sums");
    Thread.sleep(2);
    assertNotNull(a.accept(reduce(1, "b", att.get(0), 5_000)));
    // Round 2: a computed 7 ms more (10 in all), b 1 ms more (6 in all).
    assertNull(a.accept(reduce(1, "b", att.get(1), 6_000)));
    assertNotNull(a.accept(reduce(0, "a", att.get(1), 10_000)));

    List<ReduceRound> rounds = a.rounds();
    assertEquals(2, rounds.size());
    assertEquals(5_000, rounds.get(0).slowestComputeMicros());
    assertEquals(7_000, rounds.get(1).slowestComputeMicros());
    assertTrue(rounds.get(0).wallMicros() >= 2_000, "round 1 lasted at least the 2 ms slept: " + rounds.get(0));
  }

  @Test
  void overheadIsTheRoundBeyondComputingAndNeverNegative() {
    assertEquals(4_000, new ReduceRound(9_000, 5_000).overheadMicros());
    assertEquals(0, new ReduceRound(4_000, 5_000).overheadMicros());
  }
}
