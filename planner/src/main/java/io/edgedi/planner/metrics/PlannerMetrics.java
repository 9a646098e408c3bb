package io.edgedi.planner.metrics;

import io.edgedi.planner.FrameReport;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerListener;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.schemas.Classification;
import io.edgedi.transport.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The planner's Prometheus meters, fed by {@link PlannerListener} events and the cluster view.
 * Prometheus names:
 *
 * <ul>
 *   <li>{@code edgedi_planner_frames_received_total}, {@code edgedi_planner_frames_queued}: in
 *   <li>{@code edgedi_planner_active} (1: holds the site's lease), {@code
 *       edgedi_planner_frames_held} (a standby's)
 *   <li>{@code edgedi_planner_frames_classified_total{line,class}}: out, and the class counts
 *   <li>{@code edgedi_planner_frames_failed_total} (given up), {@code edgedi_planner_replans_total}
 *       (an attempt failed and the frame was planned again)
 *   <li>{@code edgedi_planner_frame_latency_seconds{phase=total|queue|compute|transfer}}, {@code
 *       edgedi_planner_stage_latency_seconds{stage}} (slowest band of each stage) and {@code
 *       edgedi_planner_band_compute_seconds{worker}}: histograms
 *   <li>{@code edgedi_planner_band_actual_over_predicted}: how well the plan's cost model guesses
 *   <li>{@code edgedi_planner_tiles_total{worker}}: bands computed per worker
 *   <li>{@code edgedi_planner_worker_seconds_per_gflop{worker}} (measured speed), {@code
 *       edgedi_planner_worker_online}, {@code edgedi_planner_worker_load}, {@code
 *       edgedi_planner_worker_tiles_in_flight}, {@code edgedi_planner_workers_usable}
 *   <li>{@code edgedi_rejected_inputs_total{reason}}, {@code edgedi_broker_connected}, {@code
 *       edgedi_broker_reconnects_total} and the JVM's, from {@link ServiceMetrics}
 * </ul>
 *
 * Listener calls only update meters (lock-free), so they never hold up the planner.
 */
public final class PlannerMetrics implements PlannerListener {
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30)
  };

  private final MeterRegistry registry;
  private final Supplier<List<WorkerStatus>> workers;
  private final Counter failed;
  private final Counter replans;
  private final DistributionSummary predictionRatio;
  private final List<MultiGauge> workerGauges = new ArrayList<>();
  private final List<Function<WorkerStatus, Number>> workerValues = new ArrayList<>();

  /**
   * @param workers every worker the planner knows of (e.g. {@code planner.cluster()::all})
   * @param usable the workers it would plan with now
   */
  public PlannerMetrics(
      ServiceMetrics metrics, Supplier<List<WorkerStatus>> workers, Supplier<Integer> usable) {
    this.registry = metrics.registry();
    this.workers = workers;
    this.failed =
        Counter.builder("edgedi.planner.frames.failed")
            .description("Frames given up after the last attempt")
            .register(registry);
    this.replans =
        Counter.builder("edgedi.planner.replans")
            .description("Frame attempts that failed and were planned again")
            .register(registry);
    this.predictionRatio =
        DistributionSummary.builder("edgedi.planner.band.actual.over.predicted")
            .description("Measured band compute time over the plan's prediction")
            .register(registry);
    Gauge.builder("edgedi.planner.workers.usable", usable, s -> s.get())
        .description("Workers the planner would use for the next frame")
        .strongReference(true)
        .register(registry);
    workerGauge(
        "edgedi.planner.worker.seconds.per.gflop",
        "Measured worker speed (lower is faster)",
        WorkerStatus::secondsPerGflop);
    workerGauge(
        "edgedi.planner.worker.online",
        "1 while the worker says it is online",
        w -> w.online() ? 1 : 0);
    workerGauge("edgedi.planner.worker.load", "Worker's system load per core", WorkerStatus::load);
    workerGauge(
        "edgedi.planner.worker.tiles.in.flight",
        "Tiles queued or running on the worker",
        WorkerStatus::tilesInFlight);
    metrics.beforeScrape(this::refresh);
  }

  /**
   * Meters for a running planner: its counters, queue, cluster and dead letters; add before start.
   */
  public static PlannerMetrics install(ServiceMetrics metrics, Planner planner) {
    MeterRegistry r = metrics.registry();
    FunctionCounter.builder("edgedi.planner.frames.received", planner, Planner::received)
        .description("Frames accepted for classification")
        .register(r);
    Gauge.builder("edgedi.planner.frames.queued", planner, Planner::queued)
        .description("Frames waiting for the planner")
        .register(r);
    Gauge.builder("edgedi.planner.active", planner, p -> p.active() ? 1 : 0)
        .description("1 while this planner holds the site's lease (failover), 0 while a standby")
        .register(r);
    Gauge.builder("edgedi.planner.frames.held", planner, Planner::held)
        .description("Frames a standby holds until the active planner's classification of them")
        .register(r);
    // Rejected inputs by reason come from the dead letters (the same counts as onRejected).
    metrics.watchBroker(planner::connected).rejectedFrom(planner.deadLetters()::counts);
    PlannerMetrics m =
        new PlannerMetrics(
            metrics,
            planner.cluster()::all,
            () -> planner.cluster().usable(System.currentTimeMillis()).size());
    planner.addListener(m);
    return m;
  }

  private void workerGauge(String name, String description, Function<WorkerStatus, Number> value) {
    workerGauges.add(MultiGauge.builder(name).description(description).register(registry));
    workerValues.add(value);
  }

  /** Re-reads the cluster view so new workers get their series (runs before each scrape). */
  public void refresh() {
    List<WorkerStatus> all = workers.get();
    for (int i = 0; i < workerGauges.size(); i++) {
      Function<WorkerStatus, Number> f = workerValues.get(i);
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      for (WorkerStatus w : all) {
        rows.add(MultiGauge.Row.of(Tags.of("worker", w.workerId()), f.apply(w)));
      }
      workerGauges.get(i).register(rows, true);
    }
  }

  @Override
  public void onClassified(FrameReport report) {
    Classification c = report.classification();
    Counter.builder("edgedi.planner.frames.classified")
        .description("Frames classified and published")
        .tags("line", c.getLine(), "class", c.getClassName())
        .register(registry)
        .increment();
    latency("total", c.getClassifiedAtMicros() - c.getReceivedAtMicros());
    latency("queue", c.getQueueMicros());
    latency("compute", c.getComputeMicros());
    latency("transfer", c.getTransferMicros());
    List<AssignedStage> stages = report.plan().stages();
    for (int s = 0; s < stages.size(); s++) {
      AssignedStage stage = stages.get(s);
      long[] actual =
          s < report.bandComputeMicros().size() ? report.bandComputeMicros().get(s) : null;
      long slowest = 0;
      for (int b = 0; b < stage.workers().size(); b++) {
        String worker = stage.workers().get(b);
        Counter.builder("edgedi.planner.tiles")
            .description("Bands computed, per worker")
            .tag("worker", worker)
            .register(registry)
            .increment();
        if (actual != null && b < actual.length) {
          slowest = Math.max(slowest, actual[b]);
          Timer.builder("edgedi.planner.band.compute")
              .description("Compute time of one band")
              .tag("worker", worker)
              .serviceLevelObjectives(BUCKETS)
              .register(registry)
              .record(actual[b], TimeUnit.MICROSECONDS);
          double predicted = stage.predictedMillis().get(b);
          if (predicted > 0) {
            predictionRatio.record(actual[b] / 1000.0 / predicted);
          }
        }
      }
      if (actual != null) {
        Timer.builder("edgedi.planner.stage.latency")
            .description("Compute time of a stage (its slowest band)")
            .tag("stage", Integer.toString(s))
            .serviceLevelObjectives(BUCKETS)
            .register(registry)
            .record(slowest, TimeUnit.MICROSECONDS);
      }
    }
  }

  private void latency(String phase, long micros) {
    Timer.builder("edgedi.planner.frame.latency")
        .description("Frame latency at the planner: received to classified, and its parts")
        .tag("phase", phase)
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(Math.max(0, micros), TimeUnit.MICROSECONDS);
  }

  @Override
  public void onFrameFailed(String frameId, String reason, boolean willRetry) {
    (willRetry ? replans : failed).increment();
  }
}
