package io.edgedi.worker.metrics;

import io.edgedi.schemas.Telemetry;
import io.edgedi.transport.metrics.ServiceMetrics;
import io.edgedi.worker.WorkerAgent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A worker's Prometheus meters, read from what it would put in its telemetry (one snapshot per
 * scrape). Prometheus names: {@code edgedi_worker_tiles_done_total}, {@code
 * edgedi_worker_tiles_in_flight}, {@code edgedi_worker_seconds_per_gflop} (measured speed), {@code
 * edgedi_worker_overhead_seconds} (fixed cost of one run), {@code edgedi_worker_load} (system load
 * per core), {@code edgedi_worker_resident_memory_bytes} (TF's native memory included), plus {@code
 * edgedi_rejected_inputs_total{reason}}, {@code edgedi_broker_connected}, {@code
 * edgedi_broker_reconnects_total} and the JVM's from {@link ServiceMetrics}.
 */
public final class WorkerMetrics {
  private WorkerMetrics() {}

  public static void install(ServiceMetrics metrics, WorkerAgent agent) {
    bind(metrics, agent::status, agent::connected, agent.deadLetters()::counts);
  }

  public static void bind(
      ServiceMetrics metrics,
      Supplier<Telemetry> status,
      BooleanSupplier connected,
      Supplier<Map<String, Long>> rejected) {
    AtomicReference<Telemetry> now = new AtomicReference<>(status.get());
    metrics.beforeScrape(() -> now.set(status.get()));
    MeterRegistry r = metrics.registry();
    FunctionCounter.builder("edgedi.worker.tiles.done", now, t -> t.get().getTilesDone())
        .description("Tiles (bands) this worker computed")
        .register(r);
    gauge(
        r,
        now,
        "edgedi.worker.tiles.in.flight",
        "Tiles queued or running",
        Telemetry::getTilesInFlight);
    gauge(
        r,
        now,
        "edgedi.worker.seconds.per.gflop",
        "Measured speed: seconds per GFLOP (lower is faster)",
        Telemetry::getSecondsPerGflop);
    gauge(
        r,
        now,
        "edgedi.worker.overhead.seconds",
        "Measured fixed cost of one slice run",
        t -> t.getFixedOverheadMillis() / 1000.0);
    gauge(r, now, "edgedi.worker.load", "System load average per core", Telemetry::getLoad);
    gauge(
        r,
        now,
        "edgedi.worker.resident.memory.bytes",
        "Resident memory, TensorFlow's included",
        Telemetry::getMemoryUsedBytes);
    metrics.watchBroker(connected).rejectedFrom(rejected);
  }

  private static void gauge(
      MeterRegistry r,
      AtomicReference<Telemetry> now,
      String name,
      String description,
      ToDoubleFunction<Telemetry> value) {
    Gauge.builder(name, now, t -> value.applyAsDouble(t.get()))
        .description(description)
        .strongReference(true)
        .register(r);
  }
}
