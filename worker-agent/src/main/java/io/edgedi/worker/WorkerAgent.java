package io.edgedi.worker;

import com.sun.management.OperatingSystemMXBean;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.FrameTask;
import io.edgedi.schemas.PeerRows;
import io.edgedi.schemas.PeerSums;
import io.edgedi.schemas.Telemetry;
import io.edgedi.schemas.codec.BadMessageException;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Clock;
import io.edgedi.transport.DeadLetters;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.MqttSettings;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker (one Pi): receives frame tasks on its tasks topic and halo rows and attention sums
 * from the other workers of a frame on its peer topics, runs its part of each frame on a single
 * compute thread, sends peers what they need of its bands and the planner what the head needs, and
 * reports retained telemetry every second; its last will marks it offline.
 *
 * <p>Threads: Paho's callback thread only decodes and queues; the compute thread owns the {@link
 * TaskRunner} and publishes; a scheduler thread publishes telemetry and expires stale work.
 */
public final class WorkerAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerAgent.class);
  public static final String VERSION = "0.2.0";

  /** How long a peer message may wait for the task of its frame (the task is on its way). */
  private static final long EARLY_PEER_MESSAGE_MILLIS = 10_000;

  private final String workerId;
  private final Topics topics;
  private final MqttLink link;
  private final DeadLetters deadLetters;
  private final SliceRunner runner;
  private final SpeedMeter speed;
  private final TaskRunner tasks;
  private final MessageCodec<FrameTask> taskCodec;
  private final MessageCodec<PeerRows> rowsCodec;
  private final MessageCodec<PeerSums> sumsCodec = Wire.PEER_SUMS.codec();
  private final MessageCodec<BandResult> resultCodec = Wire.BAND_RESULT.codec();
  private final MessageCodec<Telemetry> telemetryCodec = Wire.TELEMETRY.codec();
  private final ExecutorService compute;
  private final ScheduledExecutorService scheduler;
  private final AtomicInteger queued = new AtomicInteger();

  /**
   * A worker at this machine's speed, reading tasks and peer rows up to the site's limits ({@link
   * Wire}).
   */
  public WorkerAgent(MqttSettings settings, String site, FoldedWeights weights)
      throws MqttException {
    this(settings, site, weights, Wire.FRAME_TASK.maxPayloadBytes(), DevicePace.off());
  }

  /**
   * A worker whose compute is stretched to an emulated device's speed (see {@link DevicePace}).
   *
   * @param maxTileBytes the largest task or peer-rows payload read, for a broker configured to pass
   *     more than {@link Wire#LARGEST_PAYLOAD_BYTES}
   */
  public WorkerAgent(
      MqttSettings settings, String site, FoldedWeights weights, int maxTileBytes, DevicePace pace)
      throws MqttException {
    this.workerId = settings.clientId();
    this.topics = new Topics(site);
    this.runner = new SliceRunner(weights);
    this.speed = Calibration.measure(runner, pace);
    this.tasks =
        new TaskRunner(workerId, runner, speed, pace, new Outbox(), EARLY_PEER_MESSAGE_MILLIS);
    this.taskCodec = Wire.FRAME_TASK.codec(maxTileBytes);
    this.rowsCodec = Wire.PEER_ROWS.codec(maxTileBytes);
    this.compute = Executors.newSingleThreadExecutor(r -> daemon(r, workerId + "-compute"));
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, workerId + "-telemetry"));
    this.link = new MqttLink(settings);
    this.deadLetters = new DeadLetters(link, topics, workerId);
    LOG.info(
        "worker {} runs {}@{}: {} s/GFLOP, {} ms overhead per run",
        workerId,
        weights.model().name(),
        weights.version(),
        String.format("%.4f", speed.secondsPerGflop()),
        String.format("%.2f", speed.overheadMillis()));
  }

  public void start() throws MqttException {
    // Registered before connecting: tasks queued in the persistent session arrive right away.
    link.handle(topics.tasks(workerId), (topic, payload, delivery) -> onTask(topic, payload));
    link.handle(topics.peersOf(workerId), (topic, payload, delivery) -> onPeer(topic, payload));
    link.connect(
        new MqttLink.LastWill(
            topics.telemetry(workerId), telemetryCodec.encode(telemetry(false)), true),
        false);
    link.subscribe(topics.tasks(workerId), this::onTask);
    link.subscribe(topics.peersOf(workerId), this::onPeer);
    scheduler.scheduleAtFixedRate(this::publishTelemetry, 0, 1, TimeUnit.SECONDS);
    scheduler.scheduleAtFixedRate(() -> submit(this::expire), 1, 1, TimeUnit.SECONDS);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void onTask(String topic, byte[] payload) {
    long arrived = Clock.micros();
    try {
      FrameTask task = taskCodec.decode(payload);
      submit(() -> act(() -> tasks.onTask(task, arrived), topic));
    } catch (BadMessageException e) {
      deadLetters.report(e.reason(), e.getMessage(), null, topic, payload.length);
    }
  }

  private void onPeer(String topic, byte[] payload) {
    long arrived = Clock.micros();
    String sender = topics.senderOfPeer(workerId, topic);
    if (sender == null) {
      deadLetters.report(
          RejectReason.NOT_IN_PLAN, "peer topic names no sender", null, topic, payload.length);
      return;
    }
    Class<?> kind = MessageCodec.kindOf(payload).orElse(null);
    try {
      if (kind == PeerSums.class) {
        PeerSums sums = sumsCodec.decode(payload);
        submit(() -> act(() -> tasks.onSums(sender, sums, arrived), topic));
      } else {
        PeerRows rows =
            rowsCodec.decode(payload); // for anything else: throws with the precise reason
        submit(() -> act(() -> tasks.onRows(sender, rows, arrived), topic));
      }
    } catch (BadMessageException e) {
      deadLetters.report(e.reason(), e.getMessage(), null, topic, payload.length);
    }
  }

  private interface Step {
    void run() throws RejectedInput;
  }

  private void submit(Runnable work) {
    queued.incrementAndGet();
    try {
      compute.execute(
          () -> {
            try {
              work.run();
            } finally {
              queued.decrementAndGet();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      queued.decrementAndGet(); // shutting down
    }
  }

  private void act(Step step, String topic) {
    try {
      step.run();
    } catch (RejectedInput e) {
      deadLetters.report(e.reason(), e.getMessage(), e.payloadId(), topic, 0);
    } catch (RuntimeException e) {
      LOG.error("worker {}: could not handle a message on {}", workerId, topic, e);
    }
  }

  private void expire() {
    for (TaskRunner.Unclaimed u : tasks.expire(Clock.micros())) {
      deadLetters.report(
          u.reason(), u.message(), u.frameId(), topics.peer(workerId, u.sender()), 0);
    }
  }

  /** Publishes on the compute thread. Sums go at QoS 0: see {@link MqttLink#publishAtMostOnce}. */
  private final class Outbox implements io.edgedi.worker.frame.PeerOutbox {
    @Override
    public void rows(String receiver, PeerRows rows) throws Exception {
      link.publish(topics.peer(receiver, workerId), rowsCodec.encode(rows), false);
    }

    @Override
    public void sums(java.util.List<String> receivers, PeerSums sums) throws Exception {
      byte[] bytes = sumsCodec.encode(sums);
      for (String receiver : receivers) {
        link.publishAtMostOnce(topics.peer(receiver, workerId), bytes);
      }
    }

    @Override
    public void result(String planner, BandResult result) throws Exception {
      link.publish(topics.partials(planner), resultCodec.encode(result), false);
    }
  }

  private void publishTelemetry() {
    try {
      link.publish(topics.telemetry(workerId), telemetryCodec.encode(telemetry(true)), true);
    } catch (Exception e) {
      LOG.debug("telemetry not sent: {}", e.toString());
    }
  }

  private Telemetry telemetry(boolean online) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int cores = Runtime.getRuntime().availableProcessors();
    double load = Math.max(0, os.getSystemLoadAverage()) / cores;
    return Telemetry.newBuilder()
        .setWorkerId(workerId)
        .setOnline(online)
        .setSentAtMicros(Clock.micros())
        .setSecondsPerGflop(speed.secondsPerGflop())
        .setFixedOverheadMillis(speed.overheadMillis())
        .setCores(cores)
        .setLoad(load)
        .setMemoryUsedBytes(residentBytes())
        .setMemoryMaxBytes(os.getTotalMemorySize())
        .setTilesInFlight(queued.get() + tasks.inFlight())
        .setTilesDone(tasks.bandsDone())
        .setModelId(runner.weights().model().name() + "@" + runner.weights().version())
        .setAgentVersion(VERSION)
        .build();
  }

  /** Resident set size (TF's native memory included), or the JVM heap where /proc is missing. */
  private static long residentBytes() {
    try {
      String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
      return Long.parseLong(statm[1]) * 4096L;
    } catch (Exception e) {
      Runtime rt = Runtime.getRuntime();
      return rt.totalMemory() - rt.freeMemory();
    }
  }

  public String workerId() {
    return workerId;
  }

  /** What the worker would report now (speed, load, tiles in flight and done), e.g. for metrics. */
  public Telemetry status() {
    return telemetry(true);
  }

  /** True while the broker connection is up (a readiness check). */
  public boolean connected() {
    return link.isConnected();
  }

  public DeadLetters deadLetters() {
    return deadLetters;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      link.publish(topics.telemetry(workerId), telemetryCodec.encode(telemetry(false)), true);
    } catch (Exception e) {
      LOG.debug("offline telemetry not sent: {}", e.toString());
    }
    compute.shutdown();
    try {
      compute.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    link.close();
    tasks.close();
    runner.close();
  }
}
