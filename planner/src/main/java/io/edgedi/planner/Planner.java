package io.edgedi.planner;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.aggregate.FrameFailedException;
import io.edgedi.planner.aggregate.FrameRun;
import io.edgedi.planner.aggregate.WorkerOutbox;
import io.edgedi.planner.cluster.ClusterView;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.schemas.Band;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.Gate;
import io.edgedi.schemas.PartialOutput;
import io.edgedi.schemas.PartitionPlan;
import io.edgedi.schemas.StagePlan;
import io.edgedi.schemas.Telemetry;
import io.edgedi.schemas.Tile;
import io.edgedi.schemas.codec.BadMessageException;
import io.edgedi.schemas.codec.ClassificationJson;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Clock;
import io.edgedi.transport.DeadLetters;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.MqttSettings;
import io.edgedi.transport.Topics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader. Keeps the cluster view from telemetry, queues incoming frames, and on its
 * orchestration thread plans each frame, runs it across the workers ({@link FrameRun}), runs the
 * head and publishes the classification (Avro and JSON) and the plan.
 *
 * <p>Threads: Paho's callback thread decodes, validates and queues; one orchestration thread
 * does everything else, one frame at a time.
 */
public final class Planner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Planner.class);
  private static final int SEEN_FRAME_IDS = 100_000;

  private final PlannerOptions options;
  private final FoldedWeights weights;
  private final PartitionStrategy strategy;
  private final Topics topics;
  private final MqttLink link;
  private final DeadLetters deadLetters;
  private final ClusterView cluster;
  private final MessageCodec<Frame> frameCodec;
  private final MessageCodec<Telemetry> telemetryCodec = new MessageCodec<>(Telemetry.class, 1 << 16);
  private final MessageCodec<PartialOutput> partialCodec = new MessageCodec<>(PartialOutput.class, 64 << 20);
  private final MessageCodec<Tile> tileCodec = new MessageCodec<>(Tile.class, Integer.MAX_VALUE);
  private final MessageCodec<Gate> gateCodec = new MessageCodec<>(Gate.class, Integer.MAX_VALUE);
  private final MessageCodec<Classification> classificationCodec = new MessageCodec<>(Classification.class, 1 << 20);
  private final MessageCodec<PartitionPlan> planCodec = new MessageCodec<>(PartitionPlan.class, 1 << 20);
  private final BlockingQueue<Queued> frames = new LinkedBlockingQueue<>();
  private final Map<String, BlockingQueue<PartialOutput>> inboxes = new ConcurrentHashMap<>();
  private final Map<String, Boolean> seenFrames = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > SEEN_FRAME_IDS;
        }
      });
  private final AtomicLong classified = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong plans = new AtomicLong();
  private final Thread orchestrator;
  private final List<PlannerListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  private record Queued(Frame frame, String line, String camera, long receivedAtMicros) {}

  public Planner(MqttSettings settings, FoldedWeights weights, PartitionStrategy strategy,
                 PlannerOptions options) throws MqttException {
    this.options = options;
    this.weights = weights;
    this.strategy = strategy;
    this.topics = new Topics(options.site());
    this.link = new MqttLink(settings);
    this.deadLetters = new DeadLetters(link, topics, options.plannerId());
    this.cluster = new ClusterView(weights.model().name() + "@" + weights.version(), options.workerStaleMillis());
    this.frameCodec = new MessageCodec<>(Frame.class, options.maxFrameBytes());
    this.orchestrator = new Thread(this::orchestrate, options.plannerId() + "-orchestrator");
    this.orchestrator.setDaemon(true);
  }

  /** Adds an observer; add before {@link #start()} to see every frame. */
  public void addListener(PlannerListener listener) {
    listeners.add(listener);
  }

  private void tell(java.util.function.Consumer<PlannerListener> event) {
    for (PlannerListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("planner listener failed: {}", e.toString());
      }
    }
  }

  private void reject(String reason, String message, String payloadId, String topic, int bytes) {
    deadLetters.report(reason, message, payloadId, topic, bytes);
    tell(l -> l.onRejected(reason));
  }

  public void start() throws MqttException {
    link.connect(null, false);
    link.subscribe(topics.allTelemetry(), this::onTelemetry);
    link.subscribe(topics.partials(options.plannerId()), this::onPartial);
    link.subscribe(topics.allFrames(), this::onFrame);
    orchestrator.start();
    LOG.info("planner {} runs {}@{} with the {} strategy", options.plannerId(), weights.model().name(),
        weights.version(), strategy.name());
  }

  private void onTelemetry(String topic, byte[] payload) {
    try {
      Telemetry t = telemetryCodec.decode(payload);
      String worker = topics.workerOfTelemetry(topic);
      if (!t.getWorkerId().equals(worker)) {
        reject("SPOOFED_ID", "telemetry on " + worker + "'s topic claims worker "
            + t.getWorkerId(), t.getWorkerId(), topic, payload.length);
        return;
      }
      cluster.update(t, System.currentTimeMillis());
    } catch (BadMessageException e) {
      reject(e.reason().name(), e.getMessage(), null, topic, payload.length);
    }
  }

  private void onPartial(String topic, byte[] payload) {
    try {
      PartialOutput p = partialCodec.decode(payload);
      BlockingQueue<PartialOutput> inbox = inboxes.get(p.getFrameId());
      if (inbox == null) {
        reject("UNKNOWN_FRAME", "partial output for a frame not in progress (late or"
            + " stale)", p.getFrameId(), topic, payload.length);
        return;
      }
      inbox.add(p);
    } catch (BadMessageException e) {
      reject(e.reason().name(), e.getMessage(), null, topic, payload.length);
    }
  }

  private void onFrame(String topic, byte[] payload) {
    long received = Clock.micros();
    Frame f;
    try {
      f = frameCodec.decode(payload);
    } catch (BadMessageException e) {
      reject(e.reason().name(), e.getMessage(), null, topic, payload.length);
      return;
    }
    String[] lineCamera = topics.lineAndCameraOfFrames(topic);
    var in = weights.model().inputShape();
    String problem = null;
    if (lineCamera == null || !lineCamera[0].equals(f.getLine()) || !lineCamera[1].equals(f.getCamera())) {
      problem = "frame says line " + f.getLine() + " camera " + f.getCamera() + " but came on " + topic;
    } else if (f.getWidth() != in.width() || f.getHeight() != in.height() || f.getChannels() != in.channels()) {
      problem = "frame is " + f.getWidth() + "x" + f.getHeight() + "x" + f.getChannels() + ", model "
          + weights.model().name() + " takes " + in.width() + "x" + in.height() + "x" + in.channels();
    } else if (f.getPixels().remaining() != in.elements()) {
      problem = "frame holds " + f.getPixels().remaining() + " pixel bytes, " + f.getWidth() + "x"
          + f.getHeight() + " needs " + in.elements();
    }
    if (problem != null) {
      reject("WRONG_SIZE", problem, f.getFrameId(), topic, payload.length);
      return;
    }
    if (seenFrames.put(f.getFrameId(), Boolean.TRUE) != null) {
      reject("DUPLICATE_FRAME", "frame id seen before", f.getFrameId(), topic, payload.length);
      return;
    }
    frames.add(new Queued(f, lineCamera[0], lineCamera[1], received));
  }

  private void orchestrate() {
    while (running) {
      Queued q;
      try {
        q = frames.poll(200, TimeUnit.MILLISECONDS);
        if (q != null) {
          process(q);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("planner {}: unexpected failure", options.plannerId(), e);
      }
    }
  }

  private void process(Queued q) throws InterruptedException {
    String frameId = q.frame().getFrameId();
    FeatureMap image = toImage(q.frame());
    for (int attempt = 1; running; attempt++) {
      List<WorkerStatus> workers = waitForWorkers();
      if (workers == null) {
        return;
      }
      long started = Clock.micros();
      FramePlan plan = strategy.plan(options.plannerId() + "-" + plans.incrementAndGet(), weights.model(), workers);
      BlockingQueue<PartialOutput> inbox = new LinkedBlockingQueue<>();
      inboxes.put(frameId, inbox);
      try {
        FrameRun.Result r = new FrameRun(weights, options.plannerId(), frameId, plan, outbox(), inbox,
            options.stageTimeoutMillis(), (p, why) -> reject("STALE_PARTIAL", why,
                p.getFrameId(), topics.partials(options.plannerId()), 0)).run(image);
        publish(q, plan, r, started);
        return;
      } catch (FrameFailedException e) {
        LOG.warn("frame {} attempt {} failed: {}", frameId, attempt, e.getMessage());
        boolean retry = attempt < options.attempts();
        tell(l -> l.onFrameFailed(frameId, e.getMessage(), retry));
        if (!retry) {
          failed.incrementAndGet();
          reject("FRAME_FAILED", e.getMessage(), frameId, topics.allFrames(), 0);
          return;
        }
      } finally {
        inboxes.remove(frameId);
      }
    }
  }

  /** Blocks until at least one worker is usable; a frame waits rather than being dropped. */
  private List<WorkerStatus> waitForWorkers() throws InterruptedException {
    long warned = 0;
    while (running) {
      List<WorkerStatus> workers = cluster.usable(System.currentTimeMillis());
      if (!workers.isEmpty()) {
        return workers;
      }
      if (System.currentTimeMillis() - warned > 10_000) {
        LOG.warn("planner {}: no usable worker for {}; {} frames waiting", options.plannerId(),
            weights.model().name(), frames.size() + 1);
        warned = System.currentTimeMillis();
      }
      Thread.sleep(100);
    }
    return null;
  }

  private static FeatureMap toImage(Frame f) {
    var px = f.getPixels().duplicate();
    float[] out = new float[px.remaining()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (px.get() & 0xff) / 255f;
    }
    return FeatureMap.whole(f.getHeight(), f.getWidth(), f.getChannels(), out);
  }

  private void publish(Queued q, FramePlan plan, FrameRun.Result r, long started) {
    ModelSpec model = weights.model();
    float[] scores = ClassifierHead.softmax(r.logits());
    int best = ClassifierHead.argmax(scores);
    long now = Clock.micros();
    long compute = r.computeMicros();
    List<Float> scoreList = new ArrayList<>();
    List<Float> logitList = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      scoreList.add(scores[i]);
      logitList.add(r.logits()[i]);
    }
    Frame f = q.frame();
    Classification c = Classification.newBuilder().setFrameId(f.getFrameId()).setSite(options.site())
        .setLine(q.line()).setCamera(q.camera()).setClassName(model.classNames().get(best))
        .setClassIndex(best).setConfidence(scores[best]).setScores(scoreList).setLogits(logitList)
        .setClassNames(model.classNames()).setModelId(model.name()).setWeightsVersion(weights.version())
        .setPlanId(plan.planId()).setLabel(f.getLabel()).setCapturedAtMicros(f.getCapturedAtMicros())
        .setReceivedAtMicros(q.receivedAtMicros()).setClassifiedAtMicros(now)
        .setQueueMicros(started - q.receivedAtMicros()).setComputeMicros(compute)
        .setTransferMicros(Math.max(0, now - started - compute)).build();
    try {
      link.publish(topics.plans(), planCodec.encode(toMessage(plan, f.getFrameId())), false);
      link.publish(topics.classifications(q.line(), q.camera()), classificationCodec.encode(c), false);
      link.publish(topics.classificationsJson(q.line(), q.camera()), ClassificationJson.toJsonBytes(c), false);
      classified.incrementAndGet();
      FrameReport report = new FrameReport(f, plan, r.bandComputeMicros(), c);
      tell(l -> l.onClassified(report));
    } catch (MqttException e) {
      // Paho reconnects by itself; the classification is logged so an operator can recover it.
      LOG.error("could not publish classification of frame {} ({}): {}", f.getFrameId(),
          c.getClassName(), e.toString());
    }
  }

  private PartitionPlan toMessage(FramePlan plan, String frameId) {
    List<StagePlan> stages = new ArrayList<>();
    for (AssignedStage s : plan.stages()) {
      List<Band> bands = new ArrayList<>();
      for (int i = 0; i < s.bands().size(); i++) {
        bands.add(Band.newBuilder().setWorkerId(s.workers().get(i)).setRowStart(s.bands().get(i).start())
            .setRowEnd(s.bands().get(i).end()).setPredictedMillis(s.predictedMillis().get(i)).build());
      }
      stages.add(StagePlan.newBuilder().setFromNode(s.stage().from()).setToNode(s.stage().to())
          .setBands(bands).build());
    }
    return PartitionPlan.newBuilder().setPlanId(plan.planId()).setFrameId(frameId)
        .setModelId(weights.model().name()).setPlannerName(plan.plannerName())
        .setCreatedAtMicros(Clock.micros()).setStages(stages).build();
  }

  private WorkerOutbox outbox() {
    return new WorkerOutbox() {
      @Override
      public void sendTile(Tile tile) throws Exception {
        link.publish(topics.tiles(tile.getWorkerId()), tileCodec.encode(tile), false);
      }

      @Override
      public void sendGate(Gate gate) throws Exception {
        link.publish(topics.tiles(gate.getWorkerId()), gateCodec.encode(gate), false);
      }
    };
  }

  public ClusterView cluster() { return cluster; }

  /** True while the broker connection is up (a readiness check). */
  public boolean connected() { return link.isConnected(); }

  public DeadLetters deadLetters() { return deadLetters; }

  public long classified() { return classified.get(); }

  public long failed() { return failed.get(); }

  public int queued() { return frames.size(); }

  @Override
  public void close() {
    running = false;
    orchestrator.interrupt();
    try {
      orchestrator.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    link.close();
  }
}
