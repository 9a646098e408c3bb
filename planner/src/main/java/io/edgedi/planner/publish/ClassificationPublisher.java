package io.edgedi.planner.publish;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.trust.TrustPolicy;
import io.edgedi.inference.trust.TrustVerdict;
import io.edgedi.inference.window.WindowHead;
import io.edgedi.planner.FrameReport;
import io.edgedi.planner.PlannerListener;
import io.edgedi.planner.aggregate.FrameRun;
import io.edgedi.planner.intake.AcceptedFrame;
import io.edgedi.planner.journal.ClassifiedFrames;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.window.WindowedFrame;
import io.edgedi.schemas.Band;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.PartitionPlan;
import io.edgedi.schemas.StagePlan;
import io.edgedi.schemas.codec.ClassificationJson;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Clock;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a run frame's outcome: the classification (Avro, for MES), then the journal entry, then
 * the JSON mirror and the plan as run (for observers), then tells the listeners. The journal is
 * written once the Avro classification is out and before anything else, so a planner that dies
 * after it never classifies the frame again, and one that dies before it does so once more (at
 * least once, never silently lost). Until the Avro message and the journal entry are both done it
 * retries with backoff while the broker is away; the frame meanwhile stays in the spool. Once they
 * are done a failing mirror or plan is only logged.
 *
 * <p>Thread-safe: called by the orchestrator and the lane threads, one frame each.
 */
public final class ClassificationPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(ClassificationPublisher.class);
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 2_000;
  private static final long FENCE_POLL_MILLIS = 20;

  /** Waits between tries; {@code Thread::sleep} in production. */
  @FunctionalInterface
  public interface Pause {
    void pause(long millis) throws InterruptedException;
  }

  private final String site;
  private final ModelSpec model;
  private final String weightsVersion;
  private final TrustPolicy trust;
  private final Topics topics;
  private final MessageOutbox outbox;
  private final ClassifiedFrames journal;
  private final PlannerListener listener;
  private final BooleanSupplier running;
  private final Pause pause;
  private final Fence fence;
  private final WindowHead windowHead;
  private final MessageCodec<Classification> classificationCodec = Wire.CLASSIFICATION.codec();
  private final MessageCodec<PartitionPlan> planCodec = Wire.PARTITION_PLAN.codec();
  private final AtomicLong classified = new AtomicLong();

  /** A publisher that is never fenced (no other planner), writing no planner id. */
  public ClassificationPublisher(
      Topics topics,
      ModelSpec model,
      String weightsVersion,
      TrustPolicy trust,
      MessageOutbox outbox,
      ClassifiedFrames journal,
      PlannerListener listener,
      BooleanSupplier running,
      Pause pause) {
    this(
        topics,
        model,
        weightsVersion,
        trust,
        outbox,
        journal,
        listener,
        running,
        pause,
        Fence.open(null),
        null);
  }

  /**
   * @param running false once the planner shuts down: stop retrying
   * @param fence whether this planner holds the site's lease; while it does not, a frame waits here
   *     until it does or until the other planner's classification of it is in the journal
   * @param windowHead the head that classifies windows of larger frames (it knows {@code none}), or
   *     null to classify them with the model's own head
   */
  public ClassificationPublisher(
      Topics topics,
      ModelSpec model,
      String weightsVersion,
      TrustPolicy trust,
      MessageOutbox outbox,
      ClassifiedFrames journal,
      PlannerListener listener,
      BooleanSupplier running,
      Pause pause,
      Fence fence,
      WindowHead windowHead) {
    this.fence = fence;
    this.windowHead = windowHead;
    this.site = topics.site();
    this.model = model;
    this.weightsVersion = weightsVersion;
    this.trust = trust;
    this.topics = topics;
    this.outbox = outbox;
    this.journal = journal;
    this.listener = listener;
    this.running = running;
    this.pause = pause;
  }

  /** Frames whose classification is out (and journalled). */
  public long classified() {
    return classified.get();
  }

  /**
   * Publishes the outcome of a frame's run; {@code startedMicros} is when its planning began. False
   * only if the planner shut down before the classification was out: the frame must stay in the
   * spool.
   */
  public boolean publish(AcceptedFrame q, FramePlan plan, FrameRun.Result r, long startedMicros)
      throws InterruptedException {
    Frame f = q.frame();
    FramePlan done = new FramePlan(plan.planId(), plan.plannerName(), r.stagesUsed());
    TrustVerdict verdict = trust.assess(r.logits(), pixels(f), f.getHeight(), f.getWidth());
    return publish(
        q,
        q.mayRepeat(),
        (epoch, repeat) ->
            classification(q, plan.planId(), startedMicros, r.computeMicros(), epoch, repeat)
                .setClassNames(model.classNames())
                .setLogits(floats(r.logits()))
                .setScores(floats(verdict.scores()))
                .setClassIndex(ClassifierHead.argmax(verdict.scores()))
                .setClassName(model.classNames().get(ClassifierHead.argmax(verdict.scores())))
                .setConfidence(verdict.confidence())
                .setTrusted(verdict.trusted())
                .setUntrustedReasons(verdict.reasons().stream().map(Enum::name).toList())
                .build(),
        List.of(planMessage(done, f.getFrameId())),
        c ->
            new FrameReport(f, done, r.bandComputeMicros(), c, r.reduceRounds(), r.plannerBytes()));
  }

  /**
   * Publishes a frame that was run as windows, once every window has its result: one classification
   * carrying every window's verdict, the frame's verdict being its verdict window's ({@link
   * WindowVerdicts}); each window's plan goes out under the window's id.
   */
  public boolean publishWindowed(WindowedFrame w) throws InterruptedException {
    AcceptedFrame q = w.whole();
    Frame f = q.frame();
    List<WindowedFrame.Outcome> outcomes = w.outcomes();
    WindowVerdicts verdicts =
        WindowVerdicts.of(
            outcomes,
            f,
            windowHead,
            windowHead == null ? model.classNames() : windowHead.classNames(),
            windowHead == null ? trust : trust.withTemperature(windowHead.temperature()),
            model);
    List<PartitionPlan> plans = new ArrayList<>();
    long compute = 0;
    long started = Long.MAX_VALUE;
    long plannerBytes = 0;
    for (WindowedFrame.Outcome o : outcomes) {
      FramePlan done =
          new FramePlan(o.plan().planId(), o.plan().plannerName(), o.result().stagesUsed());
      plans.add(planMessage(done, WindowedFrame.windowId(f.getFrameId(), o.window().index())));
      compute += o.result().computeMicros();
      started = Math.min(started, o.startedMicros());
      plannerBytes += o.result().plannerBytes();
    }
    WindowedFrame.Outcome chosen = outcomes.get(verdicts.verdictIndex());
    FramePlan chosenPlan =
        new FramePlan(
            chosen.plan().planId(), chosen.plan().plannerName(), chosen.result().stagesUsed());
    long firstStart = started;
    long totalCompute = compute;
    long bytes = plannerBytes;
    return publish(
        q,
        w.mayRepeat(),
        (epoch, repeat) ->
            verdicts
                .fill(
                    classification(
                        q, chosen.plan().planId(), firstStart, totalCompute, epoch, repeat))
                .setTemperature((float) verdicts.temperature())
                .build(),
        plans,
        c ->
            new FrameReport(
                f,
                chosenPlan,
                chosen.result().bandComputeMicros(),
                c,
                chosen.result().reduceRounds(),
                bytes));
  }

  /** Builds the classification under the epoch it will be published with. */
  @FunctionalInterface
  private interface Draft {
    Classification build(long epoch, boolean repeat);
  }

  private boolean publish(
      AcceptedFrame q,
      boolean mayRepeat,
      Draft draft,
      List<PartitionPlan> plans,
      java.util.function.Function<Classification, FrameReport> report)
      throws InterruptedException {
    String frameId = q.frameId();
    boolean fenced = false;
    // Keep trying while the broker is away (Paho reconnects by itself): the frame stays in the
    // spool meanwhile, so even a planner crash here loses nothing.
    for (long backoff = FIRST_BACKOFF_MILLIS;
        running.getAsBoolean();
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2)) {
      if (journal.contains(frameId)) {
        // The other planner's classification of it is out (it was active meanwhile): settled.
        LOG.info("frame {} was classified by the other planner; not publishing it again", frameId);
        return true;
      }
      long epoch = fence.epochIfActive();
      if (epoch < 0) {
        fenced = true;
        pause.pause(FENCE_POLL_MILLIS);
        backoff = FIRST_BACKOFF_MILLIS / 2;
        continue;
      }
      // Once it waited at the fence, the planner that was active meanwhile may have published it.
      Classification c = draft.build(epoch, mayRepeat || fenced);
      if (!c.getTrusted()) {
        LOG.info(
            "frame {}: {} not trusted ({}, confidence {})",
            frameId,
            c.getClassName(),
            c.getUntrustedReasons(),
            c.getConfidence());
      }
      try {
        outbox.publish(topics.classifications(q.line(), q.camera()), classificationCodec.encode(c));
        journal.record(frameId);
        outbox.publish(
            topics.classificationsJson(q.line(), q.camera()), ClassificationJson.toJsonBytes(c));
        for (PartitionPlan plan : plans) {
          outbox.publish(topics.plans(), planCodec.encode(plan));
        }
        classified.incrementAndGet();
        listener.onClassified(report.apply(c));
        return true;
      } catch (MqttException | IOException e) {
        if (journal.contains(frameId)) {
          LOG.warn(
              "frame {}: classification out, JSON mirror or plan not: {}", frameId, e.toString());
          classified.incrementAndGet();
          return true;
        }
        LOG.warn("could not publish the classification of frame {} yet: {}", frameId, e.toString());
        pause.pause(backoff);
      }
    }
    return false;
  }

  /** The fields every classification has, whatever its class fields. */
  private Classification.Builder classification(
      AcceptedFrame q, String planId, long started, long compute, long epoch, boolean repeat) {
    Frame f = q.frame();
    long now = Clock.micros();
    return Classification.newBuilder()
        .setFrameId(f.getFrameId())
        .setSite(site)
        .setLine(q.line())
        .setCamera(q.camera())
        .setModelId(model.name())
        .setWeightsVersion(weightsVersion)
        .setPlanId(planId)
        .setLabel(f.getLabel())
        .setCapturedAtMicros(f.getCapturedAtMicros())
        .setReceivedAtMicros(q.receivedAtMicros())
        .setClassifiedAtMicros(now)
        .setQueueMicros(Math.max(0, started - f.getCapturedAtMicros()))
        .setComputeMicros(compute)
        .setTransferMicros(Math.max(0, now - started - compute))
        .setTemperature((float) trust.temperature())
        .setRepeat(repeat)
        .setPlannerId(fence.plannerId())
        .setPlannerEpoch(epoch);
  }

  static byte[] pixels(Frame f) {
    ByteBuffer px = f.getPixels().duplicate();
    byte[] pixels = new byte[px.remaining()];
    px.get(pixels);
    return pixels;
  }

  static List<Float> floats(float[] values) {
    List<Float> out = new ArrayList<>(values.length);
    for (float v : values) {
      out.add(v);
    }
    return out;
  }

  private PartitionPlan planMessage(FramePlan plan, String frameId) {
    List<StagePlan> stages = new ArrayList<>();
    for (AssignedStage s : plan.stages()) {
      List<Band> bands = new ArrayList<>();
      for (int i = 0; i < s.bands().size(); i++) {
        bands.add(
            Band.newBuilder()
                .setWorkerId(s.workers().get(i))
                .setRowStart(s.bands().get(i).start())
                .setRowEnd(s.bands().get(i).end())
                .setPredictedMillis(s.predictedMillis().get(i))
                .build());
      }
      stages.add(
          StagePlan.newBuilder()
              .setFromNode(s.stage().from())
              .setToNode(s.stage().to())
              .setBands(bands)
              .build());
    }
    return PartitionPlan.newBuilder()
        .setPlanId(plan.planId())
        .setFrameId(frameId)
        .setModelId(model.name())
        .setPlannerName(plan.plannerName())
        .setCreatedAtMicros(Clock.micros())
        .setStages(stages)
        .build();
  }
}
