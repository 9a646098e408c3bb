package io.edgedi.worker;

import com.sun.management.OperatingSystemMXBean;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.schemas.Gate;
import io.edgedi.schemas.PartialOutput;
import io.edgedi.schemas.Telemetry;
import io.edgedi.schemas.Tile;
import io.edgedi.schemas.codec.BadMessageException;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Clock;
import io.edgedi.transport.DeadLetters;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.MqttSettings;
import io.edgedi.transport.Topics;
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
 * One worker (one Pi): receives tiles and gates on its own tiles topic, runs them one at a time
 * on a single compute thread, publishes partial outputs to the planner that asked, and reports
 * retained telemetry every second; its last will marks it offline.
 *
 * <p>Threads: Paho's callback thread only decodes and queues; the compute thread owns the
 * {@link TileRunner}; a scheduler thread publishes telemetry.
 */
public final class WorkerAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerAgent.class);
  public static final String VERSION = "0.1.0";

  private final String workerId;
  private final Topics topics;
  private final MqttLink link;
  private final DeadLetters deadLetters;
  private final SliceRunner runner;
  private final SpeedMeter speed;
  private final TileRunner tiles;
  private final MessageCodec<Tile> tileCodec;
  private final MessageCodec<Gate> gateCodec;
  private final MessageCodec<PartialOutput> partialCodec;
  private final MessageCodec<Telemetry> telemetryCodec = new MessageCodec<>(Telemetry.class, 1 << 16);
  private final ExecutorService compute;
  private final ScheduledExecutorService scheduler;
  private final AtomicInteger queued = new AtomicInteger();

  public WorkerAgent(MqttSettings settings, String site, FoldedWeights weights, int maxPayloadBytes)
      throws MqttException {
    this(settings, site, weights, maxPayloadBytes, DevicePace.off());
  }

  /** A worker whose compute is stretched to an emulated device's speed (see {@link DevicePace}). */
  public WorkerAgent(MqttSettings settings, String site, FoldedWeights weights, int maxPayloadBytes,
                     DevicePace pace) throws MqttException {
    this.workerId = settings.clientId();
    this.topics = new Topics(site);
    this.runner = new SliceRunner(weights);
    this.speed = Calibration.measure(runner, pace);
    this.tiles = new TileRunner(workerId, runner, speed, pace, 60_000_000L);
    this.tileCodec = new MessageCodec<>(Tile.class, maxPayloadBytes);
    this.gateCodec = new MessageCodec<>(Gate.class, 1 << 20);
    this.partialCodec = new MessageCodec<>(PartialOutput.class, Integer.MAX_VALUE);
    this.compute = Executors.newSingleThreadExecutor(r -> daemon(r, workerId + "-compute"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, workerId + "-telemetry"));
    this.link = new MqttLink(settings);
    this.deadLetters = new DeadLetters(link, topics, workerId);
    LOG.info("worker {} runs {}@{}: {} s/GFLOP, {} ms overhead per run", workerId,
        weights.model().name(), weights.version(), String.format("%.4f", speed.secondsPerGflop()),
        String.format("%.2f", speed.overheadMillis()));
  }

  public void start() throws MqttException {
    // Registered before connecting: tiles queued in the persistent session arrive right away.
    link.handle(topics.tiles(workerId), (topic, payload, delivery) -> onMessage(topic, payload));
    link.connect(new MqttLink.LastWill(topics.telemetry(workerId), telemetryCodec.encode(telemetry(false)), true), false);
    link.subscribe(topics.tiles(workerId), this::onMessage);
    scheduler.scheduleAtFixedRate(this::publishTelemetry, 0, 1, TimeUnit.SECONDS);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void onMessage(String topic, byte[] payload) {
    Class<?> kind = MessageCodec.kindOf(payload).orElse(null);
    try {
      if (kind == Tile.class) {
        Tile tile = tileCodec.decode(payload);
        submit(() -> reply(() -> tiles.onTile(tile)));
      } else if (kind == Gate.class) {
        Gate gate = gateCodec.decode(payload);
        submit(() -> reply(() -> tiles.onGate(gate)));
      } else {
        tileCodec.decode(payload); // throws with the precise reason
        deadLetters.report("UNKNOWN_SCHEMA", "not a Tile or Gate", null, topic, payload.length);
      }
    } catch (BadMessageException e) {
      deadLetters.report(e.reason().name(), e.getMessage(), null, topic, payload.length);
    }
  }

  private interface Step {
    TileRunner.Reply run() throws RejectedInput;
  }

  private void submit(Runnable work) {
    queued.incrementAndGet();
    compute.execute(() -> {
      try {
        work.run();
      } finally {
        queued.decrementAndGet();
      }
    });
  }

  private void reply(Step step) {
    try {
      TileRunner.Reply reply = step.run();
      byte[] bytes = partialCodec.encode(reply.output());
      if (reply.output().getAttentionNode() >= 0) {
        link.publishAtMostOnce(topics.partials(reply.plannerId()), bytes); // partial sums: see MqttLink
      } else {
        link.publish(topics.partials(reply.plannerId()), bytes, false);
      }
    } catch (RejectedInput e) {
      deadLetters.report(e.reason(), e.getMessage(), e.payloadId(), topics.tiles(workerId), 0);
    } catch (MqttException | RuntimeException e) {
      LOG.error("worker {}: could not answer a tile", workerId, e);
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
    return Telemetry.newBuilder().setWorkerId(workerId).setOnline(online)
        .setSentAtMicros(Clock.micros()).setSecondsPerGflop(speed.secondsPerGflop())
        .setFixedOverheadMillis(speed.overheadMillis()).setCores(cores).setLoad(load)
        .setMemoryUsedBytes(residentBytes()).setMemoryMaxBytes(os.getTotalMemorySize())
        .setTilesInFlight(queued.get() + tiles.inFlight()).setTilesDone(tiles.tilesDone())
        .setModelId(runner.weights().model().name() + "@" + runner.weights().version())
        .setAgentVersion(VERSION).build();
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
    tiles.close();
    runner.close();
  }
}
