package io.edgedi.planner.aggregate;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.FrameTask;
import io.edgedi.schemas.StageCost;
import io.edgedi.schemas.TaskStage;
import io.edgedi.transport.Clock;
import java.nio.ByteBuffer;
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
 * The leader's side of one frame. It sends every worker of the plan the whole plan and, to the
 * workers of the first stage, their rows of the image; the workers move the feature maps among
 * themselves and answer with the trunk output's per-channel sums (the head's only input) and what
 * each band cost. Then it runs the head.
 *
 * <p>The maps live on the workers only, so a fault costs the frame's progress, not the frame: when
 * a worker of the running attempt drops out (last will, silence) the frame is re-planned on the
 * workers still alive and run again from the image the leader holds; when an attempt runs past its
 * deadline (a straggler) another starts without the workers that have not answered, and the first
 * attempt to finish wins. Results of abandoned or losing attempts are ignored. Runs on one planner
 * thread; results arrive on its inbox.
 */
public final class FrameRun {
  private static final Logger LOG = LoggerFactory.getLogger(FrameRun.class);

  private final FoldedWeights weights;
  private final String plannerId;
  private final String frameId;
  private final FramePlan plan;
  private final PartitionStrategy strategy;
  private final Cluster cluster;
  private final TaskOutbox outbox;
  private final BlockingQueue<Arrival> inbox;
  private final Timing timing;
  private final BiConsumer<BandResult, String> rejected;
  private long plannerBytes;
  private int replans;
  private int speculativeReplans;

  /** The live workers as the planner sees them. */
  public interface Cluster {
    List<WorkerStatus> usable();

    boolean alive(String workerId);

    /** False while the planner's own broker connection is down: nothing can be sent then. */
    boolean connected();

    /**
     * A band was computed: what it cost, for learning the worker's speed; {@code runs} is how many
     * TF runs it took (one, plus one per reduce).
     */
    default void computed(String workerId, long macs, long computeMicros, int runs) {}

    /**
     * A worker's part of a frame: the bytes it got from and sent to the leader, the leader's time
     * from task to result and the worker's time holding the task, for learning its link.
     */
    default void exchanged(
        String workerId, long bytesIn, long bytesOut, long roundTripMicros, long residenceMicros) {}

    /**
     * An attempt finished the frame: its plan and the time from its tasks out to its last result
     * in.
     */
    default void ran(FramePlan plan, long wallMicros) {}
  }

  /** A worker's result as it came off the wire, with its size and when it arrived. */
  public record Arrival(BandResult result, int bytes, long arrivedMicros) {}

  /**
   * Deadlines: an attempt may take {@code factor} times its predicted time plus {@code slackMillis}
   * before another attempt starts; at most {@code attemptsPerFrame} attempts; a frame that cannot
   * finish within {@code giveUpMillis} fails.
   */
  public record Timing(double factor, long slackMillis, int attemptsPerFrame, long giveUpMillis) {
    public static Timing defaults() {
      return new Timing(4, 1500, 3, 60_000);
    }
  }

  /**
   * The logits, the compute time on the critical path, each band's measured compute time (per
   * stage, band order), the stages as finally computed, how many re-plans it took and how many of
   * them ran beside a live but late attempt (a straggler's), the reduce rounds of its split stages,
   * the bytes that went through the leader (tasks out, results in), and the trunk output's
   * per-channel sums the logits came from (a window head starts there).
   */
  public record Result(
      float[] logits,
      long computeMicros,
      List<long[]> bandComputeMicros,
      List<AssignedStage> stagesUsed,
      int replans,
      int speculativeReplans,
      List<ReduceRound> reduceRounds,
      long plannerBytes,
      double[] headSums) {}

  public FrameRun(
      FoldedWeights weights,
      String plannerId,
      String frameId,
      FramePlan plan,
      PartitionStrategy strategy,
      Cluster cluster,
      TaskOutbox outbox,
      BlockingQueue<Arrival> inbox,
      Timing timing,
      BiConsumer<BandResult, String> rejected) {
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

  /** Runs the frame; {@code pixels} is its 8-bit gray image, row-major. */
  public Result run(ByteBuffer pixels) throws FrameFailedException, InterruptedException {
    List<FrameAttempt> attempts = new ArrayList<>();
    start(attempts, plan, pixels);
    long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timing.giveUpMillis());
    while (true) {
      if (!cluster.connected()) {
        // The broker is away: workers look silent, but nothing is wrong with them. Wait without
        // spending attempts; the give-up clock restarts when the link is back.
        giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timing.giveUpMillis());
        Arrival late = inbox.poll(100, TimeUnit.MILLISECONDS);
        if (late != null) {
          inbox.add(late);
        }
        continue;
      }
      for (FrameAttempt a : attempts) {
        if (!a.abandoned()) {
          for (String w : a.pendingWorkers()) {
            if (!cluster.alive(w)) {
              LOG.warn("frame {} attempt {}: worker {} is gone, re-planning", frameId, a.number, w);
              a.abandon();
              break;
            }
          }
        }
      }
      List<FrameAttempt> live = attempts.stream().filter(a -> !a.abandoned()).toList();
      long now = System.nanoTime();
      boolean late = live.stream().anyMatch(a -> now > a.deadlineNanos && a.speculate());
      if (live.isEmpty() || late) {
        Set<String> avoid = new HashSet<>();
        live.forEach(a -> avoid.addAll(a.pendingWorkers()));
        startReplacement(attempts, avoid, pixels, late);
      }
      if (now > giveUp) {
        throw new FrameFailedException(
            "frame "
                + frameId
                + " not finished after "
                + timing.giveUpMillis()
                + " ms and "
                + attempts.size()
                + " attempts");
      }
      Arrival arrival = inbox.poll(20, TimeUnit.MILLISECONDS);
      if (arrival == null) {
        continue;
      }
      BandResult r = arrival.result();
      if (!r.getFrameId().equals(frameId)
          || !r.getPlanId().equals(plan.planId())
          || r.getAttempt() < 0
          || r.getAttempt() >= attempts.size()) {
        rejected.accept(
            r, "stale result (plan " + r.getPlanId() + ", attempt " + r.getAttempt() + ")");
        continue;
      }
      FrameAttempt a = attempts.get(r.getAttempt());
      try {
        a.accept(r);
      } catch (IllegalArgumentException e) {
        rejected.accept(r, e.getMessage());
        continue;
      }
      plannerBytes += arrival.bytes();
      learn(a, r, arrival);
      if (a.abandoned()) {
        LOG.debug(
            "frame {}: result of abandoned attempt {} from {}", frameId, a.number, r.getWorkerId());
        continue;
      }
      if (a.complete()) {
        attempts.forEach(FrameAttempt::abandon);
        cluster.ran(a.plan, Clock.micros() - a.startedMicros);
        List<long[]> compute = a.bandComputeMicros();
        long critical = 0;
        for (long[] stage : compute) {
          long max = 0;
          for (long c : stage) {
            max = Math.max(max, c);
          }
          critical += max;
        }
        return new Result(
            ClassifierHead.logitsFromSums(weights, a.headSums()),
            critical,
            compute,
            a.plan.stages(),
            replans,
            speculativeReplans,
            a.reduceRounds(),
            plannerBytes,
            a.headSums());
      }
    }
  }

  /** What each band cost (cold bands excepted: they built a graph) and the worker's link. */
  private void learn(FrameAttempt a, BandResult r, Arrival arrival) {
    for (StageCost c : r.getStages()) {
      if (!c.getCold()) {
        cluster.computed(
            r.getWorkerId(),
            a.geometry(c.getStageIndex()).macs(c.getBandIndex()),
            c.getComputeMicros(),
            c.getRuns());
      }
    }
    long sent = 0;
    for (StageCost c : r.getStages()) {
      if (c.getStageIndex() == 0) {
        sent = c.getInputBytes();
      }
    }
    cluster.exchanged(
        r.getWorkerId(),
        sent,
        arrival.bytes(),
        arrival.arrivedMicros() - a.sentMicros(r.getWorkerId()),
        r.getSentAtMicros() - r.getReceivedAtMicros());
  }

  /** Starts another attempt on the usable workers, avoiding stragglers when others remain. */
  private void startReplacement(
      List<FrameAttempt> attempts, Set<String> avoid, ByteBuffer pixels, boolean besideLate)
      throws FrameFailedException {
    long counted = attempts.stream().filter(a -> !a.unsent()).count();
    if (counted >= timing.attemptsPerFrame()) {
      if (attempts.stream().allMatch(FrameAttempt::abandoned)) {
        throw new FrameFailedException(
            "frame " + frameId + ": all " + attempts.size() + " attempts lost a worker");
      }
      return;
    }
    List<WorkerStatus> usable = cluster.usable();
    List<WorkerStatus> preferred =
        usable.stream().filter(w -> !avoid.contains(w.workerId())).toList();
    List<WorkerStatus> chosen = preferred.isEmpty() ? usable : preferred;
    if (chosen.isEmpty()) {
      return; // wait for a worker to come (back); the give-up deadline bounds the wait
    }
    FramePlan next = planOn(chosen);
    if (next == null && chosen != usable) {
      next = planOn(usable); // e.g. a strategy held to the very workers to avoid
    }
    if (next == null) {
      return; // nothing to plan on yet; the give-up deadline bounds the wait
    }
    replans++;
    if (besideLate) {
      speculativeReplans++;
    }
    start(attempts, next, pixels);
  }

  private FramePlan planOn(List<WorkerStatus> workers) {
    try {
      return strategy.plan(plan.planId(), weights.model(), workers);
    } catch (RuntimeException e) {
      LOG.warn(
          "frame {}: no plan on {}: {}",
          frameId,
          workers.stream().map(WorkerStatus::workerId).toList(),
          e.getMessage());
      return null;
    }
  }

  private void start(List<FrameAttempt> attempts, FramePlan p, ByteBuffer pixels) {
    double predicted = 0;
    for (AssignedStage s : p.stages()) {
      predicted += s.predictedMillis().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
    long deadline =
        System.nanoTime()
            + TimeUnit.MILLISECONDS.toNanos(
                (long) (predicted * timing.factor()) + timing.slackMillis());
    ModelSpec model = weights.model();
    FrameAttempt a = new FrameAttempt(attempts.size(), p, model, deadline);
    attempts.add(a);
    List<TaskStage> stages = new ArrayList<>();
    for (AssignedStage s : p.stages()) {
      stages.add(
          TaskStage.newBuilder()
              .setFromNode(s.stage().from())
              .setToNode(s.stage().to())
              .setWorkers(s.workers())
              .setBandStarts(s.bandStarts())
              .build());
    }
    TensorShape image = model.inputShape();
    long until = Clock.micros() + TimeUnit.MILLISECONDS.toMicros(timing.giveUpMillis());
    AssignedStage first = p.stages().get(0);
    for (String w : a.workers()) {
      int band = first.workers().indexOf(w);
      RowRange rows = band < 0 ? new RowRange(0, 0) : a.geometry(0).inputRows(band);
      ByteBuffer slice = pixels.duplicate();
      int base = pixels.position();
      slice.limit(base + rows.end() * image.width()).position(base + rows.start() * image.width());
      FrameTask task =
          FrameTask.newBuilder()
              .setFrameId(frameId)
              .setPlanId(p.planId())
              .setAttempt(a.number)
              .setWorkerId(w)
              .setPlannerId(plannerId)
              .setModelId(model.name())
              .setWeightsVersion(weights.version())
              .setStages(stages)
              .setInputRowStart(rows.start())
              .setInputRowEnd(rows.end())
              .setPixels(slice.slice())
              .setDeadlineMicros(until)
              .setSentAtMicros(Clock.micros())
              .build();
      try {
        a.sending(w);
        plannerBytes += outbox.sendTask(task);
      } catch (Exception e) {
        LOG.warn("frame {}: could not send a task to {}: {}", frameId, w, e.toString());
        a.abandonUnsent();
        return;
      }
    }
  }
}
