package io.edgedi.planner.aggregate;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.schemas.Gate;
import io.edgedi.schemas.PartialOutput;
import io.edgedi.schemas.Tile;
import io.edgedi.transport.Clock;
import io.edgedi.transport.FloatBytes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of one frame. For each stage it sends every worker its band with halo, answers
 * reduce requests with gates and stitches the output bands; then it runs the head.
 *
 * <p>Faults are handled per stage, since the leader holds every finished stage's output: when a
 * worker of the running attempt drops out (last will, silence) the stage is re-planned on the
 * workers still alive; when an attempt runs past its deadline (a straggler) a second attempt
 * starts without the slow workers and the first attempt to finish wins. Messages of abandoned or
 * losing attempts are ignored. Runs on one planner thread; partial outputs arrive on its inbox.
 */
public final class FrameRun {
  private static final Logger LOG = LoggerFactory.getLogger(FrameRun.class);

  private final FoldedWeights weights;
  private final String plannerId;
  private final String frameId;
  private final FramePlan plan;
  private final PartitionStrategy strategy;
  private final Cluster cluster;
  private final WorkerOutbox outbox;
  private final BlockingQueue<PartialOutput> inbox;
  private final Timing timing;
  private final BiConsumer<PartialOutput, String> rejected;
  private final List<long[]> bandCompute = new ArrayList<>();
  private final List<AssignedStage> used = new ArrayList<>();
  private final List<ReduceRound> reduceRounds = new ArrayList<>();
  private long criticalComputeMicros;
  private int replans;

  /** The live workers as the planner sees them. */
  public interface Cluster {
    List<WorkerStatus> usable();

    boolean alive(String workerId);

    /** False while the planner's own broker connection is down: nothing can be sent then. */
    boolean connected();

    /**
     * A band came back: what it cost, for learning the worker's real speed and link; {@code runs}
     * is how many TF runs the band took (one, plus one per channel attention of the stage).
     */
    default void finished(String workerId, long macs, long computeMicros, int runs, long bytesIn, long bytesOut,
                          long roundTripMicros, long residenceMicros) {}
  }

  /**
   * Deadlines: an attempt may take {@code factor} times its slowest predicted band plus
   * {@code slackMillis} before a second attempt starts; at most {@code attemptsPerStage}
   * attempts; a stage that cannot finish within {@code giveUpMillis} fails the frame.
   */
  public record Timing(double factor, long slackMillis, int attemptsPerStage, long giveUpMillis) {
    public static Timing defaults() {
      return new Timing(4, 1500, 3, 60_000);
    }
  }

  /**
   * The stitched trunk output, the logits, the compute time on the critical path, each band's
   * measured compute time, the stages as finally computed, how many re-plans it took, and the
   * reduce rounds of the stages as finally computed.
   */
  public record Result(FeatureMap trunk, float[] logits, long computeMicros, List<long[]> bandComputeMicros,
                       List<AssignedStage> stagesUsed, int replans, List<ReduceRound> reduceRounds) {}

  public FrameRun(FoldedWeights weights, String plannerId, String frameId, FramePlan plan,
                  PartitionStrategy strategy, Cluster cluster, WorkerOutbox outbox,
                  BlockingQueue<PartialOutput> inbox, Timing timing, BiConsumer<PartialOutput, String> rejected) {
    this.weights = weights;
    this.plannerId = plannerId;
    this.frameId = frameId;
    this.plan = plan;
    this.strategy = strategy;
    this.cluster = cluster;
    this.outbox = outbox;
    this.inbox = inbox;
    this.timing = timing;
    this.rejected = rejected;
  }

  public Result run(FeatureMap image) throws FrameFailedException, InterruptedException {
    FeatureMap current = image;
    for (int s = 0; s < plan.stages().size(); s++) {
      current = runStage(s, plan.stages().get(s), current);
    }
    return new Result(current, ClassifierHead.logits(weights, current), criticalComputeMicros,
        List.copyOf(bandCompute), List.copyOf(used), replans, List.copyOf(reduceRounds));
  }

  private FeatureMap runStage(int index, AssignedStage first, FeatureMap whole)
      throws FrameFailedException, InterruptedException {
    List<StageAttempt> attempts = new ArrayList<>();
    start(index, attempts, first, whole);
    long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timing.giveUpMillis());
    while (true) {
      if (!cluster.connected()) {
        // The broker is away: workers look silent, but nothing is wrong with them. Wait without
        // spending attempts; the give-up clock restarts when the link is back.
        giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timing.giveUpMillis());
        PartialOutput late = inbox.poll(100, TimeUnit.MILLISECONDS);
        if (late != null) {
          inbox.add(late);
        }
        continue;
      }
      for (StageAttempt a : attempts) {
        if (!a.abandoned()) {
          for (String w : a.assigned.workers()) {
            if (!cluster.alive(w)) {
              LOG.warn("frame {} stage {} attempt {}: worker {} is gone, re-planning", frameId, index, a.number, w);
              a.abandon();
              break;
            }
          }
        }
      }
      List<StageAttempt> live = attempts.stream().filter(a -> !a.abandoned()).toList();
      long now = System.nanoTime();
      if (live.isEmpty() || live.stream().anyMatch(a -> now > a.deadlineNanos && a.speculate())) {
        Set<String> avoid = new HashSet<>();
        live.forEach(a -> avoid.addAll(a.pendingWorkers()));
        startReplacement(index, attempts, first, whole, avoid);
      }
      if (now > giveUp) {
        throw new FrameFailedException("stage " + index + " of frame " + frameId + " not finished after "
            + timing.giveUpMillis() + " ms and " + attempts.size() + " attempts");
      }
      PartialOutput p = inbox.poll(20, TimeUnit.MILLISECONDS);
      if (p == null) {
        continue;
      }
      if (p.getFrameId().equals(frameId) && p.getPlanId().equals(plan.planId()) && p.getStageIndex() < index) {
        LOG.debug("frame {}: ignoring late partial of finished stage {}", frameId, p.getStageIndex());
        continue;
      }
      if (!p.getFrameId().equals(frameId) || !p.getPlanId().equals(plan.planId()) || p.getStageIndex() != index
          || p.getAttempt() < 0 || p.getAttempt() >= attempts.size()) {
        rejected.accept(p, "stale partial (plan " + p.getPlanId() + ", stage " + p.getStageIndex()
            + ", attempt " + p.getAttempt() + ")");
        continue;
      }
      StageAttempt a = attempts.get(p.getAttempt());
      if (a.abandoned()) {
        LOG.debug("frame {} stage {}: ignoring late partial of abandoned attempt {}", frameId, index, a.number);
        continue;
      }
      StageAttempt.Gates gates;
      try {
        gates = a.accept(p);
      } catch (IllegalArgumentException e) {
        rejected.accept(p, e.getMessage());
        continue;
      }
      if (gates != null) {
        sendGates(index, a, gates);
      }
      if (p.getAttentionNode() < 0) {
        int w = p.getBandIndex();
        var in = weights.model().shape(a.assigned.stage().inputNode());
        cluster.finished(p.getWorkerId(), a.geometry.macs(w), p.getComputeMicros(), a.runs(),
            (long) a.geometry.inputRows(w).size() * in.width() * in.channels() * 4, p.getData().remaining(),
            Clock.micros() - a.startedMicros, p.getSentAtMicros() - p.getReceivedAtMicros());
      }
      if (a.complete()) {
        attempts.forEach(StageAttempt::abandon);
        long[] compute = a.computeMicros();
        criticalComputeMicros += java.util.Arrays.stream(compute).max().orElse(0);
        bandCompute.add(compute);
        used.add(a.assigned);
        reduceRounds.addAll(a.rounds());
        return a.stitched();
      }
    }
  }

  /** Starts another attempt on the usable workers, avoiding stragglers when others remain. */
  private void startReplacement(int index, List<StageAttempt> attempts, AssignedStage first, FeatureMap whole,
                                Set<String> avoid) throws FrameFailedException {
    long counted = attempts.stream().filter(a -> !a.unsent()).count();
    if (counted >= timing.attemptsPerStage()) {
      if (attempts.stream().allMatch(StageAttempt::abandoned)) {
        throw new FrameFailedException("stage " + index + " of frame " + frameId + ": all "
            + attempts.size() + " attempts lost a worker");
      }
      return;
    }
    List<WorkerStatus> usable = cluster.usable();
    List<WorkerStatus> preferred = usable.stream().filter(w -> !avoid.contains(w.workerId())).toList();
    List<WorkerStatus> chosen = preferred.isEmpty() ? usable : preferred;
    if (chosen.isEmpty()) {
      return; // wait for a worker to come (back); the give-up deadline bounds the wait
    }
    replans++;
    start(index, attempts, strategy.planStage(weights.model(), first.stage(), chosen), whole);
  }

  private void start(int index, List<StageAttempt> attempts, AssignedStage assigned, FeatureMap whole) {
    double slowest = assigned.predictedMillis().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    long deadline = System.nanoTime()
        + TimeUnit.MILLISECONDS.toNanos((long) (slowest * timing.factor()) + timing.slackMillis());
    StageAttempt a = new StageAttempt(attempts.size(), assigned, weights, deadline);
    attempts.add(a);
    ModelSpec model = weights.model();
    TensorShape in = model.shape(assigned.stage().inputNode());
    for (int w = 0; w < assigned.bands().size(); w++) {
      RowRange rows = a.geometry.inputRows(w);
      Tile tile = Tile.newBuilder().setFrameId(frameId).setPlanId(plan.planId()).setStageIndex(index)
          .setWorkerId(assigned.workers().get(w)).setPlannerId(plannerId)
          .setFromNode(assigned.stage().from()).setToNode(assigned.stage().to())
          .setModelId(model.name()).setWeightsVersion(weights.version()).setBandIndex(w)
          .setBandRowStart(assigned.bands().get(w).start()).setBandRowEnd(assigned.bands().get(w).end())
          .setInputRowStart(rows.start()).setInputRowEnd(rows.end()).setInputHeight(in.height())
          .setInputWidth(in.width()).setInputChannels(in.channels())
          .setData(FloatBytes.encode(whole.slice(rows).data())).setAllBandStarts(assigned.bandStarts())
          .setDeadlineMicros(Clock.micros() + (deadline - System.nanoTime()) / 1000)
          .setSentAtMicros(Clock.micros()).setAttempt(a.number).build();
      try {
        outbox.sendTile(tile);
      } catch (Exception e) {
        LOG.warn("frame {} stage {}: could not send a tile to {}: {}", frameId, index, tile.getWorkerId(), e.toString());
        a.abandonUnsent();
        return;
      }
    }
  }

  private void sendGates(int index, StageAttempt a, StageAttempt.Gates gates) {
    for (String worker : a.assigned.workers()) {
      Gate g = Gate.newBuilder().setFrameId(frameId).setPlanId(plan.planId()).setStageIndex(index)
          .setWorkerId(worker).setAttentionNode(gates.attentionNode()).setValues(StageAttempt.boxed(gates.values()))
          .setSentAtMicros(Clock.micros()).setAttempt(a.number).build();
      try {
        outbox.sendGate(g);
      } catch (Exception e) {
        LOG.warn("frame {} stage {}: could not send a gate to {}: {}", frameId, index, worker, e.toString());
        a.abandon();
        return;
      }
    }
  }
}
