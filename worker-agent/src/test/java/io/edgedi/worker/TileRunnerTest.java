package io.edgedi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.schemas.Gate;
import io.edgedi.schemas.PartialOutput;
import io.edgedi.schemas.Tile;
import io.edgedi.transport.FloatBytes;
import io.edgedi.transport.GateSums;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A worker's stage runs without the network: reduce rounds, and the gates it computes itself. */
class TileRunnerTest {
  private static final ModelSpec MODEL = ModelZoo.byName("vgg16-scar", 40, 40);
  private static final FoldedWeights WEIGHTS = FoldedWeights.fold(RandomWeights.create(MODEL, 9), "random-9");
  /** Nodes 1..9: stem conv and two SCAR blocks, each with a channel attention. */
  private static final Stage STAGE = new Stage(1, 10);

  @Test
  void wholeStageBandComputesItsGatesAndEqualsTheTwoBandRun() throws Exception {
    TensorShape in = MODEL.shape(0);
    float[] image = new float[in.height() * in.width()];
    Random rnd = new Random(3);
    for (int i = 0; i < image.length; i++) {
      image[i] = rnd.nextFloat();
    }
    int rows = MODEL.shape(STAGE.outputNode()).height();
    try (SliceRunner slices = new SliceRunner(WEIGHTS);
         TileRunner runner = new TileRunner("w", slices, new SpeedMeter(1, 1), 60_000_000L);
         TileRunner other = new TileRunner("w2", slices, new SpeedMeter(1, 1), 60_000_000L)) {
      TileRunner.Reply whole = runner.onTile(tile("w", List.of(new RowRange(0, rows)), 0, image, "whole"));
      assertEquals(-1, whole.output().getAttentionNode(), "a whole-stage band asked the leader for sums");
      float[] alone = data(whole.output());

      List<RowRange> two = List.of(new RowRange(0, rows / 2), new RowRange(rows / 2, rows));
      TileRunner[] workers = {runner, other};
      String[] ids = {"w", "w2"};
      PartialOutput[] replies = {runner.onTile(tile("w", two, 0, image, "split")).output(),
          other.onTile(tile("w2", two, 1, image, "split")).output()};
      int rounds = 0;
      while (replies[0].getAttentionNode() >= 0) {
        assertEquals(replies[0].getAttentionNode(), replies[1].getAttentionNode());
        double[] sums = new double[replies[0].getPartialSums().size()];
        for (PartialOutput p : replies) {
          for (int i = 0; i < sums.length; i++) {
            sums[i] += p.getPartialSums().get(i);
          }
        }
        for (int b = 0; b < 2; b++) {
          replies[b] = workers[b].onGate(gate(ids[b], "split", replies[b].getAttentionNode(), sums)).output();
        }
        rounds++;
      }
      assertEquals(2, rounds, "the stage holds two channel attentions");
      float[] top = data(replies[0]);
      float[] bottom = data(replies[1]);
      assertEquals(alone.length, top.length + bottom.length);
      double worst = 0;
      for (int i = 0; i < alone.length; i++) {
        float split = i < top.length ? top[i] : bottom[i - top.length];
        worst = Math.max(worst, Math.abs(split - alone[i]));
      }
      assertTrue(worst <= 1e-5, "whole-stage band differs from the two-band run by " + worst);
      assertEquals(0, runner.inFlight() + other.inFlight());
    }
  }

  @Test
  void aTileThatBuiltGraphsDoesNotCountTowardsTheSpeed() throws Exception {
    TensorShape in = MODEL.shape(0);
    float[] image = new float[in.height() * in.width()];
    int rows = MODEL.shape(STAGE.outputNode()).height();
    SpeedMeter speed = new SpeedMeter(123.0, 0);
    try (SliceRunner slices = new SliceRunner(WEIGHTS);
         TileRunner runner = new TileRunner("w", slices, speed, 60_000_000L)) {
      runner.onTile(tile("w", List.of(new RowRange(0, rows)), 0, image, "cold"));
      assertTrue(slices.cachedGraphs() > 0);
      assertEquals(123.0, speed.secondsPerGflop(), "graph construction was taken for compute speed");
      runner.onTile(tile("w", List.of(new RowRange(0, rows)), 0, image, "warm"));
      assertTrue(speed.secondsPerGflop() < 123.0, "a warm tile must count");
    }
  }

  private static Tile tile(String worker, List<RowRange> bands, int band, float[] image, String frame) {
    StageGeometry g = StageGeometry.of(MODEL, STAGE, bands);
    RowRange need = g.inputRows(band);
    TensorShape in = MODEL.shape(STAGE.inputNode());
    float[] rows = new float[need.size() * in.width()];
    System.arraycopy(image, need.start() * in.width(), rows, 0, rows.length);
    List<Integer> starts = new ArrayList<>();
    bands.forEach(b -> starts.add(b.start()));
    starts.add(bands.get(bands.size() - 1).end());
    return Tile.newBuilder().setFrameId(frame).setPlanId("p").setStageIndex(0).setWorkerId(worker)
        .setPlannerId("planner").setFromNode(STAGE.from()).setToNode(STAGE.to()).setModelId(MODEL.name())
        .setWeightsVersion(WEIGHTS.version()).setBandIndex(band).setBandRowStart(bands.get(band).start())
        .setBandRowEnd(bands.get(band).end()).setInputRowStart(need.start()).setInputRowEnd(need.end())
        .setInputHeight(in.height()).setInputWidth(in.width()).setInputChannels(in.channels())
        .setData(FloatBytes.encode(rows)).setAllBandStarts(starts).setDeadlineMicros(0).setSentAtMicros(0)
        .setAttempt(1).build();
  }

  private static Gate gate(String worker, String frame, int node, double[] sums) {
    return Gate.newBuilder().setFrameId(frame).setPlanId("p").setStageIndex(0).setWorkerId(worker)
        .setAttentionNode(node).setValues(GateSums.encode(sums)).setSentAtMicros(0).setAttempt(1).build();
  }

  private static float[] data(PartialOutput p) {
    return FloatBytes.decode(p.getData(), p.getHeight() * p.getWidth() * p.getChannels());
  }
}
