package io.edgedi.planner.aggregate;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.StageTable;
import io.edgedi.schemas.PartialOutput;
import io.edgedi.transport.FloatBytes;
import io.edgedi.transport.GateSums;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One try at one stage of one frame on a set of workers: collects their reduce requests
 * (answering each round with the whole map's sums, from which the workers compute the gates) and
 * output bands. Several attempts of the same stage may run
 * at once (a straggler's stage is retried elsewhere); the first to finish wins. Confined to the
 * frame's orchestration thread.
 */
final class StageAttempt {
  final int number;
  final AssignedStage assigned;
  final StageGeometry geometry;
  final long deadlineNanos;
  /** When its tiles went out (wall clock, microseconds). */
  final long startedMicros = io.edgedi.transport.Clock.micros();
  private final FoldedWeights weights;
  private final FeatureMap[] outputs;
  private final long[] compute;
  private double[][] sums;
  private final long[] computeAtRoundStart;
  private final int runs;
  private long roundStartMicros = startedMicros;
  private long roundSlowestCompute;
  private final List<ReduceRound> rounds = new ArrayList<>();
  private int attention = -1;
  private boolean abandoned;
  private boolean speculated;
  private boolean unsent;

  StageAttempt(int number, AssignedStage assigned, FoldedWeights weights, long deadlineNanos) {
    this.number = number;
    this.assigned = assigned;
    this.weights = weights;
    this.geometry = StageGeometry.of(weights.model(), assigned.stage(), assigned.bands());
    this.deadlineNanos = deadlineNanos;
    int k = assigned.bands().size();
    this.outputs = new FeatureMap[k];
    this.compute = new long[k];
    this.sums = new double[k][];
    this.computeAtRoundStart = new long[k];
    this.runs = StageTable.of(weights.model(), assigned.stage()).runs();
  }

  /**
   * What to send to every worker of this attempt once a reduce round is complete: the summed
   * node and the Gate message's values (the whole sums, {@link GateSums}-encoded).
   */
  record Gates(int attentionNode, float[] values) {}

  /**
   * Takes one partial output of this attempt. Returns the Gate contents to send when it completes
   * a reduce round, else null. Throws {@link IllegalArgumentException} with the reason when the
   * message does not fit this attempt.
   */
  Gates accept(PartialOutput p) {
    int w = p.getBandIndex();
    if (w < 0 || w >= outputs.length || !assigned.workers().get(w).equals(p.getWorkerId())) {
      throw new IllegalArgumentException("band " + w + " is not worker " + p.getWorkerId() + "'s");
    }
    if (outputs[w] != null) {
      throw new IllegalArgumentException("band " + w + " already delivered (duplicate)");
    }
    compute[w] = Math.max(compute[w], p.getComputeMicros());
    ModelSpec model = weights.model();
    if (p.getAttentionNode() >= 0) {
      // The reduce request names the node whose map is summed (StageRun.Reduce).
      int node = p.getAttentionNode();
      if (node >= model.size() || model.shape(node).channels() != p.getPartialSums().size()) {
        throw new IllegalArgumentException("reduce request for node " + node + " with "
            + p.getPartialSums().size() + " sums");
      }
      if (attention >= 0 && node != attention) {
        throw new IllegalArgumentException("reduce for node " + node + " while node " + attention + " is open");
      }
      double[] s = p.getPartialSums().stream().mapToDouble(Double::doubleValue).toArray();
      for (double v : s) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("partial sum is " + v);
        }
      }
      if (sums[w] != null) {
        throw new IllegalArgumentException("second reduce request from band " + w + " in one round");
      }
      attention = node;
      sums[w] = s;
      roundSlowestCompute = Math.max(roundSlowestCompute, compute[w] - computeAtRoundStart[w]);
      if (Arrays.stream(sums).anyMatch(x -> x == null)) {
        return null;
      }
      double[] whole = new double[sums[0].length];
      for (double[] band : sums) {
        for (int i = 0; i < whole.length; i++) {
          whole[i] += band[i];
        }
      }
      List<Float> encoded = GateSums.encode(whole);
      float[] values = new float[encoded.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = encoded.get(i);
      }
      Gates g = new Gates(node, values);
      sums = new double[outputs.length][];
      attention = -1;
      long now = io.edgedi.transport.Clock.micros();
      rounds.add(new ReduceRound(now - roundStartMicros, roundSlowestCompute));
      roundStartMicros = now;
      roundSlowestCompute = 0;
      System.arraycopy(compute, 0, computeAtRoundStart, 0, compute.length);
      return g;
    }
    RowRange band = assigned.bands().get(w);
    TensorShape out = model.shape(assigned.stage().outputNode());
    if (p.getRowStart() != band.start() || p.getRowEnd() != band.end() || p.getHeight() != band.size()
        || p.getWidth() != out.width() || p.getChannels() != out.channels()) {
      throw new IllegalArgumentException("output rows [" + p.getRowStart() + "," + p.getRowEnd() + ") x "
          + p.getWidth() + " x " + p.getChannels() + " do not match band " + band + " x " + out.width()
          + " x " + out.channels());
    }
    float[] data = FloatBytes.decode(p.getData(), band.size() * out.width() * out.channels());
    outputs[w] = new FeatureMap(band.start(), band.size(), out.width(), out.channels(), data);
    return null;
  }

  boolean complete() {
    return Arrays.stream(outputs).allMatch(o -> o != null);
  }

  FeatureMap stitched() {
    return FeatureMap.stitch(Arrays.asList(outputs));
  }

  long[] computeMicros() {
    return compute.clone();
  }

  /** TF runs per band (StageTable.runs: one per segment of the stage). */
  int runs() {
    return runs;
  }

  /** The reduce rounds completed so far, in order. */
  List<ReduceRound> rounds() {
    return List.copyOf(rounds);
  }

  /** Workers whose output band has not arrived yet. */
  List<String> pendingWorkers() {
    List<String> out = new ArrayList<>();
    for (int w = 0; w < outputs.length; w++) {
      if (outputs[w] == null) {
        out.add(assigned.workers().get(w));
      }
    }
    return out;
  }

  boolean usesWorker(String id) {
    return assigned.workers().contains(id);
  }

  void abandon() {
    abandoned = true;
  }

  /** Abandoned because its tiles could not be sent (link down): does not count as a try. */
  void abandonUnsent() {
    abandoned = true;
    unsent = true;
  }

  boolean unsent() {
    return unsent;
  }

  boolean abandoned() {
    return abandoned;
  }

  /** Marks that a second attempt was started because this one ran past its deadline. */
  boolean speculate() {
    boolean first = !speculated;
    speculated = true;
    return first;
  }

  static List<Float> boxed(float[] v) {
    List<Float> out = new ArrayList<>(v.length);
    for (float x : v) {
      out.add(x);
    }
    return out;
  }
}
