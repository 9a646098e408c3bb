package io.edgedi.planner.aggregate;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.partition.AttentionGate;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.schemas.Gate;
import io.edgedi.schemas.PartialOutput;
import io.edgedi.schemas.Tile;
import io.edgedi.transport.Clock;
import io.edgedi.transport.FloatBytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The leader's side of one frame: for each stage, cuts every worker's band with halo from the
 * current map, sends the tiles, answers reduce requests with gates, and stitches the output
 * bands; then runs the head. Runs on one planner thread; partial outputs arrive on its inbox.
 */
public final class FrameRun {
  private final FoldedWeights weights;
  private final String plannerId;
  private final String frameId;
  private final FramePlan plan;
  private final WorkerOutbox outbox;
  private final BlockingQueue<PartialOutput> inbox;
  private final long stageTimeoutMillis;
  private final BiConsumer<PartialOutput, String> rejected;
  private long criticalComputeMicros;
  private final List<long[]> bandCompute = new ArrayList<>();

  /**
   * The stitched trunk output, the logits, the compute time on the critical path, and each
   * band's measured compute time (per stage, in band order).
   */
  public record Result(FeatureMap trunk, float[] logits, long computeMicros, List<long[]> bandComputeMicros) {}

  public FrameRun(FoldedWeights weights, String plannerId, String frameId, FramePlan plan,
                  WorkerOutbox outbox, BlockingQueue<PartialOutput> inbox, long stageTimeoutMillis,
                  BiConsumer<PartialOutput, String> rejected) {
    this.weights = weights;
    this.plannerId = plannerId;
    this.frameId = frameId;
    this.plan = plan;
    this.outbox = outbox;
    this.inbox = inbox;
    this.stageTimeoutMillis = stageTimeoutMillis;
    this.rejected = rejected;
  }

  public Result run(FeatureMap image) throws FrameFailedException, InterruptedException {
    FeatureMap current = image;
    for (int s = 0; s < plan.stages().size(); s++) {
      current = runStage(s, plan.stages().get(s), current);
    }
    return new Result(current, ClassifierHead.logits(weights, current), criticalComputeMicros,
        List.copyOf(bandCompute));
  }

  private FeatureMap runStage(int index, AssignedStage assigned, FeatureMap whole)
      throws FrameFailedException, InterruptedException {
    ModelSpec model = weights.model();
    StageGeometry geo = StageGeometry.of(model, assigned.stage(), assigned.bands());
    int k = geo.workers();
    TensorShape in = model.shape(assigned.stage().inputNode());
    for (int w = 0; w < k; w++) {
      RowRange rows = geo.inputRows(w);
      FeatureMap band = whole.slice(rows);
      Tile tile = Tile.newBuilder().setFrameId(frameId).setPlanId(plan.planId()).setStageIndex(index)
          .setWorkerId(assigned.workers().get(w)).setPlannerId(plannerId)
          .setFromNode(assigned.stage().from()).setToNode(assigned.stage().to())
          .setModelId(model.name()).setWeightsVersion(weights.version()).setBandIndex(w)
          .setBandRowStart(assigned.bands().get(w).start()).setBandRowEnd(assigned.bands().get(w).end())
          .setInputRowStart(rows.start()).setInputRowEnd(rows.end()).setInputHeight(in.height())
          .setInputWidth(in.width()).setInputChannels(in.channels())
          .setData(FloatBytes.encode(band.data())).setAllBandStarts(assigned.bandStarts())
          .setDeadlineMicros(Clock.micros() + stageTimeoutMillis * 1000).setSentAtMicros(Clock.micros())
          .setAttempt(0).build();
      send(() -> outbox.sendTile(tile), assigned.workers().get(w));
    }
    FeatureMap[] outputs = new FeatureMap[k];
    long[] compute = new long[k];
    double[][] sums = new double[k][];
    int attention = -1;
    int outstanding = k;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stageTimeoutMillis);
    while (outstanding > 0) {
      long left = deadline - System.nanoTime();
      PartialOutput p = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
      if (p == null) {
        throw new FrameFailedException("stage " + index + " of frame " + frameId + " timed out after "
            + stageTimeoutMillis + " ms waiting for " + missing(outputs, assigned));
      }
      String problem = check(p, index, assigned, geo);
      if (problem != null) {
        rejected.accept(p, problem);
        continue;
      }
      int w = p.getBandIndex();
      compute[w] = Math.max(compute[w], p.getComputeMicros());
      if (p.getAttentionNode() >= 0) {
        if (attention >= 0 && p.getAttentionNode() != attention) {
          rejected.accept(p, "reduce for node " + p.getAttentionNode() + " while node " + attention + " is open");
          continue;
        }
        attention = p.getAttentionNode();
        sums[w] = p.getPartialSums().stream().mapToDouble(Double::doubleValue).toArray();
        if (Arrays.stream(sums).allMatch(x -> x != null)) {
          float[] gate = AttentionGate.compute(weights, attention, Arrays.asList(sums));
          List<Float> values = new ArrayList<>(gate.length);
          for (float v : gate) {
            values.add(v);
          }
          for (int i = 0; i < k; i++) {
            Gate g = Gate.newBuilder().setFrameId(frameId).setPlanId(plan.planId()).setStageIndex(index)
                .setWorkerId(assigned.workers().get(i)).setAttentionNode(attention).setValues(values)
                .setSentAtMicros(Clock.micros()).setAttempt(0).build();
            send(() -> outbox.sendGate(g), assigned.workers().get(i));
          }
          sums = new double[k][];
          attention = -1;
        }
        continue;
      }
      TensorShape out = model.shape(assigned.stage().outputNode());
      try {
        float[] data = FloatBytes.decode(p.getData(), p.getHeight() * out.width() * out.channels());
        outputs[w] = new FeatureMap(p.getRowStart(), p.getHeight(), out.width(), out.channels(), data);
        outstanding--;
      } catch (IllegalArgumentException e) {
        rejected.accept(p, "unusable output band: " + e.getMessage());
      }
    }
    criticalComputeMicros += Arrays.stream(compute).max().orElse(0);
    bandCompute.add(compute);
    return FeatureMap.stitch(Arrays.asList(outputs));
  }

  /** Why a partial output does not belong to this stage, or null if it does. */
  private String check(PartialOutput p, int index, AssignedStage assigned, StageGeometry geo) {
    if (!p.getFrameId().equals(frameId) || !p.getPlanId().equals(plan.planId()) || p.getStageIndex() != index) {
      return "stale partial (plan " + p.getPlanId() + ", stage " + p.getStageIndex() + ")";
    }
    int w = p.getBandIndex();
    if (w < 0 || w >= geo.workers() || !assigned.workers().get(w).equals(p.getWorkerId())) {
      return "band " + w + " is not worker " + p.getWorkerId() + "'s";
    }
    if (p.getAttentionNode() >= 0) {
      var op = weights.model().node(Math.min(p.getAttentionNode(), weights.model().lastNode())).op();
      int channels = op instanceof io.edgedi.inference.model.Op.ChannelAttention a ? a.channels() : -1;
      if (p.getAttentionNode() >= weights.model().size() || channels != p.getPartialSums().size()) {
        return "reduce request for node " + p.getAttentionNode() + " with " + p.getPartialSums().size() + " sums";
      }
      for (double v : p.getPartialSums()) {
        if (!Double.isFinite(v)) {
          return "partial sum is " + v;
        }
      }
      return null;
    }
    RowRange band = assigned.bands().get(w);
    TensorShape out = weights.model().shape(assigned.stage().outputNode());
    if (p.getRowStart() != band.start() || p.getRowEnd() != band.end() || p.getHeight() != band.size()
        || p.getWidth() != out.width() || p.getChannels() != out.channels()) {
      return "output rows [" + p.getRowStart() + "," + p.getRowEnd() + ") x " + p.getWidth() + " x "
          + p.getChannels() + " do not match band " + band + " x " + out.width() + " x " + out.channels();
    }
    return null;
  }

  private interface Send {
    void run() throws Exception;
  }

  private void send(Send send, String worker) throws FrameFailedException {
    try {
      send.run();
    } catch (Exception e) {
      throw new FrameFailedException("could not send to worker " + worker + ": " + e.getMessage());
    }
  }

  private static String missing(FeatureMap[] outputs, AssignedStage assigned) {
    List<String> out = new ArrayList<>();
    for (int w = 0; w < outputs.length; w++) {
      if (outputs[w] == null) {
        out.add(assigned.workers().get(w));
      }
    }
    return String.join(", ", out);
  }
}
