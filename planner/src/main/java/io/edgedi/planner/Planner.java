package io.edgedi.planner;

import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.trust.TrustPolicy;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.window.WindowGrid;
import io.edgedi.inference.window.WindowHead;
import io.edgedi.planner.aggregate.FrameSettler;
import io.edgedi.planner.aggregate.LiveWorkers;
import io.edgedi.planner.aggregate.ResultInboxes;
import io.edgedi.planner.aggregate.TaskOutbox;
import io.edgedi.planner.cluster.ClusterView;
import io.edgedi.planner.cluster.SpeedEstimator;
import io.edgedi.planner.cluster.TelemetryIntake;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.failover.LeaseKeeper;
import io.edgedi.planner.failover.LeaseState;
import io.edgedi.planner.failover.PeerClassifications;
import io.edgedi.planner.intake.FrameIntake;
import io.edgedi.planner.intake.FrameQueue;
import io.edgedi.planner.intake.SeenFrames;
import io.edgedi.planner.journal.ClassifiedFrames;
import io.edgedi.planner.journal.FrameSpool;
import io.edgedi.planner.plan.OutcomeCheckedStrategy;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.plan.PlanOutcomes;
import io.edgedi.planner.publish.ClassificationPublisher;
import io.edgedi.planner.publish.Fence;
import io.edgedi.planner.schedule.FrameScheduler;
import io.edgedi.planner.schedule.WorkerGroups;
import io.edgedi.schemas.FrameTask;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.DeadLetters;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.MqttSettings;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.io.IOException;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader, wired together: its two broker connections and what each hands its messages to. One
 * frame's path: {@link FrameIntake} (decode, check, spool, acknowledge, queue) -> {@link
 * FrameScheduler} (which thread and which workers) -> {@link FrameSettler} (plan, run across the
 * workers, retry) -> {@link ClassificationPublisher} (classification, journal, mirror, plan).
 * Telemetry goes to {@link TelemetryIntake}, band results to {@link ResultInboxes}.
 *
 * <p>Threads: Paho's callback thread of the main connection handles telemetry and band results;
 * that of the frames connection takes frames on; one orchestrator thread and, when frames queue up,
 * lane threads run frames (see {@link FrameScheduler}). The accessors are thread-safe.
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
  private final LiveWorkers workers;
  private final ClassifiedFrames journal;
  private final PlannerListeners listeners = new PlannerListeners();
  private final FrameQueue queue;
  private final FrameIntake intake;
  private final TelemetryIntake telemetry;
  private final ResultInboxes results;
  private final ClassificationPublisher publisher;
  private final FrameSettler settler;
  private final FrameScheduler scheduler;
  private final LeaseKeeper lease;
  private final PeerClassifications peers;
  private volatile boolean running = true;

  public Planner(
      MqttSettings settings,
      FoldedWeights weights,
      PartitionStrategy strategy,
      PlannerOptions options)
      throws MqttException {
    this(settings, weights, strategy, options, null);
  }

  /**
   * @param windowHead classifies the windows of frames larger than the model input (checked against
   *     the weights' trunk), or null to use the model's own head for them
   */
  public Planner(
      MqttSettings settings,
      FoldedWeights weights,
      PartitionStrategy strategy,
      PlannerOptions options,
      WindowHead windowHead)
      throws MqttException {
    if (windowHead != null) {
      windowHead.checkFits(weights);
    }
    this.options = options;
    this.weights = weights;
    PlanOutcomes outcomes = new PlanOutcomes();
    // The optimal planner must not keep choosing splits that its own past frames show to be
    // slower than one worker; the baselines stay as their authors defined them.
    this.strategy =
        strategy.name().equals("optimal")
            ? new OutcomeCheckedStrategy(strategy, outcomes)
            : strategy;
    this.topics = new Topics(options.site());
    this.link = new MqttLink(settings);
    // Frames get their own connection, acknowledged by hand only once spooled to disk, so a frame
    // the broker considers delivered is never only in memory.
    this.frameLink = new MqttLink(settings.withClientId(options.plannerId() + "-frames"), true);
    this.deadLetters = new DeadLetters(link, topics, options.plannerId());
    this.cluster =
        new ClusterView(
            weights.model().name() + "@" + weights.version(), options.workerStaleMillis());
    this.workers =
        new LiveWorkers(
            cluster,
            new SpeedEstimator(2.0 * ModelCost.macs(weights.model())),
            link::isConnected,
            outcomes);
    FrameSpool spool;
    try {
      this.journal = new ClassifiedFrames(options.stateDir(), SEEN_FRAME_IDS);
      spool =
          options.stateDir() == null ? null : new FrameSpool(options.stateDir().resolve("spool"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot open the planner journal in " + options.stateDir(), e);
    }
    Rejections rejections = this::reject;
    SeenFrames seen = new SeenFrames(SEEN_FRAME_IDS);
    this.queue = new FrameQueue(spool);
    // A standby until it holds the site's lease: frames are spooled and held, not run.
    queue.hold();
    this.lease =
        new LeaseKeeper(
            options.plannerId(),
            topics.plannerLease(),
            options.lease(),
            (topic, payload) -> link.publish(topic, payload, true),
            new LeaseKeeper.Listener() {
              @Override
              public void activated(long epoch) {
                int held = queue.release();
                LOG.info(
                    "planner {} active (epoch {}): runs the {} frames it held",
                    options.plannerId(),
                    epoch,
                    held);
                listeners.onLeaseChanged(true, epoch);
              }

              @Override
              public void deactivated() {
                queue.hold();
                listeners.onLeaseChanged(false, -1);
              }
            },
            rejections);
    this.peers = new PeerClassifications(options.plannerId(), journal, queue, rejections);
    this.intake =
        new FrameIntake(
            options.plannerId(),
            topics,
            weights.model(),
            journal,
            seen,
            spool,
            queue,
            rejections,
            windowGrid(weights, options));
    this.telemetry = new TelemetryIntake(topics, cluster, rejections);
    this.results = new ResultInboxes(seen, rejections);
    this.publisher =
        new ClassificationPublisher(
            topics,
            weights.model(),
            weights.version(),
            TrustPolicy.of(weights.metadata()),
            (topic, payload) -> link.publish(topic, payload, false),
            journal,
            listeners,
            () -> running,
            Thread::sleep,
            new Fence() {
              @Override
              public String plannerId() {
                return options.plannerId();
              }

              @Override
              public long epochIfActive() {
                return lease.epochIfActive();
              }
            },
            windowHead);
    this.settler =
        new FrameSettler(
            weights,
            this.strategy,
            options,
            topics,
            workers,
            taskOutbox(),
            results,
            publisher,
            rejections,
            listeners,
            queue::size,
            () -> running);
    this.scheduler =
        new FrameScheduler(
            options.plannerId(),
            queue,
            new WorkerGroups(
                options.plannerId(),
                options.queueGroups(),
                weights.model(),
                this.strategy,
                workers::usable),
            settler);
  }

  private static WindowGrid windowGrid(FoldedWeights weights, PlannerOptions options) {
    if (options.windowStride() < 0) {
      return null;
    }
    int w = weights.model().inputShape().width();
    int h = weights.model().inputShape().height();
    int stride = options.windowStride();
    return stride == 0 ? WindowGrid.adjacent(w, h) : new WindowGrid(w, h, stride, stride);
  }

  /** Adds an observer; add before {@link #start()} to see every frame. */
  public void addListener(PlannerListener listener) {
    listeners.add(listener);
  }

  private void reject(
      RejectReason reason, String message, String payloadId, String topic, int bytes) {
    deadLetters.report(reason, message, payloadId, topic, bytes);
    listeners.onRejected(reason);
  }

  private TaskOutbox taskOutbox() {
    MessageCodec<FrameTask> codec = Wire.FRAME_TASK.codec();
    return task -> {
      byte[] bytes = codec.encode(task);
      link.publish(topics.tasks(task.getWorkerId()), bytes, false);
      return bytes.length;
    };
  }

  public void start() throws MqttException {
    // Handlers before connecting: the persistent session delivers what was queued while this
    // planner was away (the other planner's classifications above all) right after CONNACK,
    // and a message without a handler would wait unacknowledged until the next reconnect.
    link.handle(topics.plannerLease(), acked(lease::accept));
    link.handle(topics.allClassifications(), acked(peers::accept));
    link.handle(topics.allTelemetry(), acked(telemetry::accept));
    link.handle(topics.partials(options.plannerId()), acked(results::deliver));
    // The last will releases the lease at once if this planner's connection dies.
    link.connect(new MqttLink.LastWill(topics.plannerLease(), lease.will(), false), false);
    link.subscribe(topics.plannerLease(), lease::accept);
    link.subscribe(topics.allClassifications(), peers::accept);
    link.subscribe(topics.allTelemetry(), telemetry::accept);
    link.subscribe(topics.partials(options.plannerId()), results::deliver);
    // The spool first, so frames acknowledged before a restart are queued ahead of new ones.
    intake.resume();
    // Registered before connecting: frames queued in the persistent session arrive right away.
    frameLink.handle(topics.allFrames(), intake::accept);
    frameLink.connect(null, false);
    frameLink.subscribeAcked(topics.allFrames(), intake::accept);
    scheduler.start();
    lease.start();
    warmPlanning();
    LOG.info(
        "planner {} runs {}@{} with the {} strategy",
        options.plannerId(),
        weights.model().name(),
        weights.version(),
        strategy.name());
  }

  private static MqttLink.AckedHandler acked(
      java.util.function.BiConsumer<String, byte[]> handler) {
    return (topic, payload, delivery) -> {
      try {
        handler.accept(topic, payload);
      } finally {
        delivery.ack();
      }
    };
  }

  /**
   * Plans a frame for made-up workers once, off the frame threads: the first plan of a process
   * builds the model's stage tables and runs cold code (measured ~190 ms, more under load), and a
   * standby's first plan is the first frame after a failover.
   */
  private void warmPlanning() {
    Thread t =
        new Thread(
            () -> {
              try {
                strategy.plan(
                    "warm-up", weights.model(), io.edgedi.planner.plan.SyntheticWorkers.of(3, 1));
              } catch (RuntimeException e) {
                LOG.debug("planning warm-up: {}", e.toString());
              }
            },
            options.plannerId() + "-warm-up");
    t.setDaemon(true);
    t.start();
  }

  public ClusterView cluster() {
    return cluster;
  }

  /**
   * The usable workers as the next plan will see them: telemetry adjusted by what they really did.
   */
  public List<WorkerStatus> planningView() {
    return workers.usable();
  }

  /** True while the broker connection is up (a readiness check). */
  public boolean connected() {
    return link.isConnected();
  }

  public DeadLetters deadLetters() {
    return deadLetters;
  }

  /** Frames accepted into the queue (valid and not seen before). */
  public long received() {
    return queue.accepted();
  }

  public long classified() {
    return publisher.classified();
  }

  public long failed() {
    return settler.failed();
  }

  /** Frames that got a second attempt because one of theirs was alive but late (a straggler). */
  public long overtaken() {
    return settler.overtaken();
  }

  public int queued() {
    return queue.size();
  }

  /** Frames held while a standby (spooled, waiting for the active planner's classification). */
  public int held() {
    return queue.held();
  }

  /** True while this planner holds the site's lease and runs frames. */
  public boolean active() {
    return lease.role() == LeaseState.Role.ACTIVE;
  }

  /** The planner believed active (this one's id when it is), or null while nobody is known. */
  public String activePlanner() {
    return lease.holder();
  }

  /**
   * Times the queue was run down on worker groups side by side (see {@link
   * io.edgedi.planner.plan.QueuePlanner}).
   */
  public long groupRuns() {
    return scheduler.groupRuns();
  }

  @Override
  public void close() {
    // No new frame starts; those being run may finish and publish (a rollout loses no work),
    // then the lease goes to the standby at once rather than when it expires.
    queue.hold();
    running = false;
    // The frame threads first: one may be journaling a classification it has just published.
    scheduler.close();
    lease.close();
    try {
      journal.close();
    } catch (IOException e) {
      LOG.debug("journal close: {}", e.toString());
    }
    frameLink.close();
    link.close();
  }
}
