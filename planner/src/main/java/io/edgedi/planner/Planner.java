package io.edgedi.planner;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.aggregate.FrameFailedException;
import io.edgedi.planner.aggregate.FrameRun;
import io.edgedi.planner.aggregate.TaskOutbox;
import io.edgedi.planner.cluster.ClusterView;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.journal.ClassifiedFrames;
import io.edgedi.planner.journal.FrameSpool;
import java.nio.file.Path;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.plan.QueuePlanner;
import io.edgedi.planner.plan.QueueTail;
import io.edgedi.schemas.Band;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.FrameTask;
import io.edgedi.schemas.PartitionPlan;
import io.edgedi.schemas.StagePlan;
import io.edgedi.schemas.Telemetry;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader. Keeps the cluster view from telemetry, queues incoming frames, and on its
 * orchestration thread plans each frame, runs it across the workers ({@link FrameRun}), runs the
 * head and publishes the classification (Avro and JSON) and the plan.
 *
 * <p>Threads: Paho's callback thread decodes, validates and queues; one orchestration thread
 * takes frames off the queue. One frame at a time goes across all usable workers, unless frames
 * are queuing and {@link QueuePlanner} predicts that whole frames on groups of workers empty the
 * queue sooner: then two lane threads per group take frames off the queue, each as soon as its
 * previous frame is done, until the queue is empty (or 10 s passed and the groups are re-chosen).
 */
public final class Planner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Planner.class);
  private static final int SEEN_FRAME_IDS = 100_000;

  private final PlannerOptions options;
  private final FoldedWeights weights;
  private final PartitionStrategy strategy;
  private final Topics topics;
  private final MqttLink link;
  private final MqttLink frameLink;
  private final DeadLetters deadLetters;
  private final ClusterView cluster;
  private final MessageCodec<Frame> frameCodec;
  private final MessageCodec<Telemetry> telemetryCodec = new MessageCodec<>(Telemetry.class, 1 << 16);
  private final MessageCodec<BandResult> resultCodec = new MessageCodec<>(BandResult.class, 1 << 20);
  private final MessageCodec<FrameTask> taskCodec = new MessageCodec<>(FrameTask.class, Integer.MAX_VALUE);
  private final MessageCodec<Classification> classificationCodec = new MessageCodec<>(Classification.class, 1 << 20);
  private final MessageCodec<PartitionPlan> planCodec = new MessageCodec<>(PartitionPlan.class, 1 << 20);
  private final BlockingQueue<Queued> frames = new LinkedBlockingQueue<>();
  private final Map<String, BlockingQueue<FrameRun.Arrival>> inboxes = new ConcurrentHashMap<>();
  private final Map<String, Queued> pending = new ConcurrentHashMap<>();
  private final Map<String, Boolean> seenFrames = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > SEEN_FRAME_IDS;
        }
      });
  private final ClassifiedFrames journal;
  private final FrameSpool spool;
  private final String planPrefix;
  private final io.edgedi.planner.cluster.SpeedEstimator speeds;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong classified = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong plans = new AtomicLong();
  private final Thread orchestrator;
  private final ExecutorService lanes = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "planner-lane");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong groupRuns = new AtomicLong();
  /**
   * Frames in flight per worker group: with two, a group's next tile is already queued at its
   * workers while the planner stitches, classifies and publishes the previous frame, so the
   * workers do not idle in between (the tile waits at most one frame, well within its deadline).
   */
  private static final int LANES_PER_GROUP = 2;
  /** Longest a set of worker groups keeps taking frames before the groups are chosen again. */
  private static final long SESSION_MILLIS = 10_000;
  private final List<PlannerListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  /** A frame waiting for the orchestrator; {@code spooled} is its file in the spool, if any. */
  private record Queued(Frame frame, String line, String camera, long receivedAtMicros, Path spooled) {}

  public Planner(MqttSettings settings, FoldedWeights weights, PartitionStrategy strategy,
                 PlannerOptions options) throws MqttException {
    this.options = options;
    this.weights = weights;
    this.strategy = strategy;
    this.topics = new Topics(options.site());
    this.link = new MqttLink(settings);
    // Frames get their own connection, acknowledged by hand only once spooled to disk, so a frame
    // the broker considers delivered is never only in memory.
    this.frameLink = new MqttLink(settings.withClientId(options.plannerId() + "-frames"), true);
    this.deadLetters = new DeadLetters(link, topics, options.plannerId());
    this.cluster = new ClusterView(weights.model().name() + "@" + weights.version(), options.workerStaleMillis());
    this.speeds = new io.edgedi.planner.cluster.SpeedEstimator(
        2.0 * io.edgedi.inference.model.ModelCost.macs(weights.model()));
    this.frameCodec = new MessageCodec<>(Frame.class, options.maxFrameBytes());
    try {
      this.journal = new ClassifiedFrames(options.stateDir(), SEEN_FRAME_IDS);
      this.spool = options.stateDir() == null ? null : new FrameSpool(options.stateDir().resolve("spool"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot open the planner journal in " + options.stateDir(), e);
    }
    // Plan ids must not repeat across restarts: workers may still hold runs of an old plan.
    this.planPrefix = options.plannerId() + "-" + Long.toString(System.currentTimeMillis(), 36) + "-";
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
    resumeSpooled();
    frameLink.handle(topics.allFrames(), this::onFrame);
    frameLink.connect(null, false);
    frameLink.subscribeAcked(topics.allFrames(), this::onFrame);
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
      BandResult p = resultCodec.decode(payload);
      BlockingQueue<FrameRun.Arrival> inbox = inboxes.get(p.getFrameId());
      if (inbox == null && seenFrames.containsKey(p.getFrameId())) {
        // A losing attempt's result arriving after its frame was finished: expected, harmless.
        LOG.debug("late result for finished frame {} ignored", p.getFrameId());
        return;
      }
      if (inbox == null) {
        reject("UNKNOWN_FRAME", "band result for a frame not in progress (late or"
            + " stale)", p.getFrameId(), topic, payload.length);
        return;
      }
      inbox.add(new FrameRun.Arrival(p, payload.length));
    } catch (BadMessageException e) {
      reject(e.reason().name(), e.getMessage(), null, topic, payload.length);
    }
  }

  /**
   * Frames are acknowledged to the broker only once classified (or rejected), so a planner that
   * dies mid-frame gets them again after its restart; the journal keeps that from classifying a
   * frame twice.
   */
  private void onFrame(String topic, byte[] payload, MqttLink.Delivery delivery) {
    long received = Clock.micros();
    Frame f;
    try {
      f = frameCodec.decode(payload);
    } catch (BadMessageException e) {
      reject(e.reason().name(), e.getMessage(), null, topic, payload.length);
      delivery.ack();
      return;
    }
    if (delivery.redelivered() && (journal.contains(f.getFrameId()) || pending.containsKey(f.getFrameId()))) {
      delivery.ack(); // classified, or spooled and in progress, before a restart or reconnect
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
      delivery.ack();
      return;
    }
    boolean seen = seenFrames.put(f.getFrameId(), Boolean.TRUE) != null || journal.contains(f.getFrameId());
    if (seen && !delivery.redelivered()) {
      reject("DUPLICATE_FRAME", "frame id seen before", f.getFrameId(), topic, payload.length);
      delivery.ack();
      return;
    }
    Path spooled = null;
    if (spool != null) {
      try {
        spooled = spool.store(payload);
      } catch (java.io.IOException e) {
        // Unacknowledged, the broker redelivers it after a reconnect; say why it is stuck.
        LOG.error("cannot spool frame {}: {}; not acknowledging it", f.getFrameId(), e.toString());
        return;
      }
    }
    delivery.ack();
    enqueue(new Queued(f, lineCamera[0], lineCamera[1], received, spooled));
  }

  private void enqueue(Queued q) {
    pending.put(q.frame().getFrameId(), q);
    accepted.incrementAndGet();
    frames.add(q);
  }

  /** Queues the frames a previous run accepted but did not finish. */
  private void resumeSpooled() {
    if (spool == null) {
      return;
    }
    try {
      for (FrameSpool.Entry e : spool.pending()) {
        try {
          Frame f = frameCodec.decode(e.payload());
          if (journal.contains(f.getFrameId())) {
            spool.remove(e.file());
            continue;
          }
          seenFrames.put(f.getFrameId(), Boolean.TRUE);
          enqueue(new Queued(f, f.getLine(), f.getCamera(), Clock.micros(), e.file()));
        } catch (BadMessageException ex) {
          LOG.error("dropping unreadable spool file {}: {}", e.file(), ex.getMessage());
          spool.remove(e.file());
        }
      }
      if (!frames.isEmpty()) {
        LOG.info("planner {} resumes {} spooled frames", options.plannerId(), frames.size());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the frame spool", e);
    }
  }

  private void orchestrate() {
    while (running) {
      Queued q;
      try {
        q = frames.poll(200, TimeUnit.MILLISECONDS);
        if (q != null) {
          QueuePlanner.Choice groups = groupsFor(frames.size() + 1);
          if (groups == null || groups.groups().size() <= 1) {
            process(q, null);
          } else {
            runOnGroups(q, groups);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("planner {}: unexpected failure", options.plannerId(), e);
      }
    }
  }

  /** The worker groups for the next frames: one group (all workers) unless frames queue up. */
  private QueuePlanner.Choice groupsFor(int waiting) {
    if (!options.queueGroups() || waiting < 2) {
      return null;
    }
    List<WorkerStatus> workers = speeds.adjust(cluster.usable(System.currentTimeMillis()));
    if (workers.size() < 2) {
      return null;
    }
    try {
      return QueuePlanner.choose(weights.model(), workers, waiting, strategy);
    } catch (RuntimeException e) {
      LOG.warn("planner {}: no queue plan ({}), frames go one at a time", options.plannerId(), e.toString());
      return null;
    }
  }

  /**
   * Runs the queue down on worker groups, {@link #LANES_PER_GROUP} lane threads per group: each
   * lane takes the next queued frame whenever its own frame is done (no barrier between lanes, so
   * a fast group never waits for a slow one). Lanes stop when the queue is empty or after
   * {@link #SESSION_MILLIS}, so the groups get re-chosen from fresh speeds and queue length. Near
   * the queue's end a lane leaves a frame to faster groups when they would finish it first
   * ({@link QueueTail}).
   */
  private void runOnGroups(Queued first, QueuePlanner.Choice choice) throws InterruptedException {
    groupRuns.incrementAndGet();
    List<List<WorkerStatus>> groups = choice.groups();
    long began = System.currentTimeMillis();
    long until = began + SESSION_MILLIS;
    AtomicIntegerArray done = new AtomicIntegerArray(groups.size());
    AtomicReference<Queued> head = new AtomicReference<>(first);
    QueueTail tail = new QueueTail(choice.groupFrameMillis());
    List<Future<?>> inFlight = new ArrayList<>();
    for (int lane = 0; lane < groups.size() * LANES_PER_GROUP; lane++) {
      int index = lane % groups.size();
      Set<String> group = new HashSet<>();
      groups.get(index).forEach(w -> group.add(w.workerId()));
      double pauseMillis = Math.max(1, Math.min(20, choice.groupFrameMillis().get(index) / 8));
      inFlight.add(lanes.submit(() -> {
        Queued q = head.getAndSet(null);
        while (running) {
          if (q == null) {
            if (System.currentTimeMillis() >= until || frames.isEmpty()) {
              return null;
            }
            if (!tail.shouldTake(index, frames.size(), System.nanoTime())) {
              Thread.sleep((long) pauseMillis);
              continue;
            }
            q = frames.poll();
            if (q == null) {
              return null;
            }
          }
          long token = tail.start(index, System.nanoTime());
          try {
            process(q, group);
          } finally {
            tail.finish(index, token);
          }
          done.incrementAndGet(index);
          q = null;
        }
        return null;
      }));
    }
    for (Future<?> f : inFlight) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.error("planner {}: a lane failed", options.plannerId(), e.getCause());
      }
    }
    List<String> report = new ArrayList<>();
    int total = 0;
    for (int lane = 0; lane < groups.size(); lane++) {
      report.add(groups.get(lane).stream().map(WorkerStatus::workerId).toList() + ": " + done.get(lane));
      total += done.get(lane);
    }
    LOG.info("planner {}: {} worker groups ran {} frames in {} ms ({})", options.plannerId(), groups.size(),
        total, System.currentTimeMillis() - began, String.join(", ", report));
  }

  /**
   * Classifies one frame, then takes it out of the spool. A frame interrupted by shutdown stays
   * spooled, so the planner's next run finishes it.
   */
  private void process(Queued q, Set<String> group) throws InterruptedException {
    boolean settled = false;
    try {
      settled = settle(q, group);
    } finally {
      pending.remove(q.frame().getFrameId());
      if (settled && q.spooled() != null) {
        try {
          spool.remove(q.spooled());
        } catch (java.io.IOException e) {
          LOG.warn("could not remove spooled frame {}: {}", q.spooled(), e.toString());
        }
      }
    }
  }

  /**
   * True once the frame is classified or given up for good (dead-lettered). With a group, the
   * frame is planned on the group's usable workers (on all if none of them is left); a stage
   * re-planned after a failure may use any worker.
   */
  private boolean settle(Queued q, Set<String> group) throws InterruptedException {
    String frameId = q.frame().getFrameId();
    for (int attempt = 1; running; attempt++) {
      List<WorkerStatus> workers = waitForWorkers();
      if (workers == null) {
        return false;
      }
      if (group != null) {
        List<WorkerStatus> inGroup = workers.stream().filter(w -> group.contains(w.workerId())).toList();
        workers = inGroup.isEmpty() ? workers : inGroup;
      }
      // Plan with what the workers really did lately, not only what they report.
      workers = speeds.adjust(workers);
      long started = Clock.micros();
      FramePlan plan = strategy.plan(planPrefix + plans.incrementAndGet(), weights.model(), workers);
      BlockingQueue<FrameRun.Arrival> inbox = new LinkedBlockingQueue<>();
      inboxes.put(frameId, inbox);
      try {
        FrameRun.Result r = new FrameRun(weights, options.plannerId(), frameId, plan, strategy, liveWorkers(),
            outbox(), inbox, options.timing(), (p, why) -> reject("STALE_PARTIAL", why,
                p.getFrameId(), topics.partials(options.plannerId()), 0)).run(q.frame().getPixels());
        return publish(q, plan, r, started);
      } catch (FrameFailedException e) {
        LOG.warn("frame {} attempt {} failed: {}", frameId, attempt, e.getMessage());
        boolean retry = attempt < options.attempts();
        tell(l -> l.onFrameFailed(frameId, e.getMessage(), retry));
        if (!retry) {
          failed.incrementAndGet();
          reject("FRAME_FAILED", e.getMessage(), frameId, topics.allFrames(), 0);
          return true;
        }
      } finally {
        inboxes.remove(frameId);
      }
    }
    return false;
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



  /** Publishes the classification; false if that was impossible and the frame must stay unacknowledged. */
  private boolean publish(Queued q, FramePlan plan, FrameRun.Result r, long started) throws InterruptedException {
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
        .setQueueMicros(Math.max(0, started - f.getCapturedAtMicros())).setComputeMicros(compute)
        .setTransferMicros(Math.max(0, now - started - compute)).build();
    FramePlan done = new FramePlan(plan.planId(), plan.plannerName(), r.stagesUsed());
    // Keep trying while the broker is away (Paho reconnects by itself): the frame stays
    // unacknowledged meanwhile, so even a planner crash here loses nothing.
    for (long backoff = 100; running; backoff = Math.min(2_000, backoff * 2)) {
      try {
        link.publish(topics.classifications(q.line(), q.camera()), classificationCodec.encode(c), false);
        journal.record(f.getFrameId());
        link.publish(topics.classificationsJson(q.line(), q.camera()), ClassificationJson.toJsonBytes(c), false);
        link.publish(topics.plans(), planCodec.encode(toMessage(done, f.getFrameId())), false);
        classified.incrementAndGet();
        FrameReport report = new FrameReport(f, done, r.bandComputeMicros(), c, r.reduceRounds(), r.plannerBytes());
        tell(l -> l.onClassified(report));
        return true;
      } catch (MqttException | java.io.IOException e) {
        if (journal.contains(f.getFrameId())) {
          LOG.warn("frame {}: classification out, JSON mirror or plan not: {}", f.getFrameId(), e.toString());
          classified.incrementAndGet();
          return true;
        }
        LOG.warn("could not publish the classification of frame {} yet: {}", f.getFrameId(), e.toString());
        Thread.sleep(backoff);
      }
    }
    return false;
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

  private FrameRun.Cluster liveWorkers() {
    return new FrameRun.Cluster() {
      @Override
      public List<WorkerStatus> usable() {
        return speeds.adjust(cluster.usable(System.currentTimeMillis()));
      }

      @Override
      public void computed(String workerId, long macs, long computeMicros, int runs) {
        speeds.record(workerId, macs, computeMicros, runs, 0, 0, 0, 0);
      }

      @Override
      public void exchanged(String workerId, long bytesIn, long bytesOut, long roundTripMicros, long residenceMicros) {
        speeds.record(workerId, 0, 0, 1, bytesIn, bytesOut, roundTripMicros, residenceMicros);
      }

      @Override
      public boolean alive(String workerId) {
        return cluster.isUsable(workerId, System.currentTimeMillis());
      }

      @Override
      public boolean connected() {
        return link.isConnected();
      }
    };
  }

  private TaskOutbox outbox() {
    return task -> {
      byte[] bytes = taskCodec.encode(task);
      link.publish(topics.tasks(task.getWorkerId()), bytes, false);
      return bytes.length;
    };
  }

  public ClusterView cluster() { return cluster; }

  /** The usable workers as the next plan will see them: telemetry adjusted by what they really did. */
  public List<WorkerStatus> planningView() {
    return speeds.adjust(cluster.usable(System.currentTimeMillis()));
  }

  /** True while the broker connection is up (a readiness check). */
  public boolean connected() { return link.isConnected(); }

  public DeadLetters deadLetters() { return deadLetters; }

  /** Frames accepted into the queue (valid and not seen before). */
  public long received() { return accepted.get(); }

  public long classified() { return classified.get(); }

  public long failed() { return failed.get(); }

  public int queued() { return frames.size(); }

  /** Times the queue was run down on worker groups side by side (see {@link QueuePlanner}). */
  public long groupRuns() { return groupRuns.get(); }

  @Override
  public void close() {
    running = false;
    try {
      journal.close();
    } catch (java.io.IOException e) {
      LOG.debug("journal close: {}", e.toString());
    }
    orchestrator.interrupt();
    lanes.shutdownNow();
    try {
      orchestrator.join(5_000);
      lanes.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    frameLink.close();
    link.close();
  }
}
