package io.edgedi.transport.metrics;

import com.sun.net.httpserver.HttpExchange;
import io.edgedi.transport.StatusServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One component's Prometheus metrics (Micrometer): a registry tagged with the component's role, JVM
 * memory/threads/CPU/uptime, the broker connection and a {@code /metrics} route for its {@link
 * StatusServer}. Each component adds its own meters to {@link #registry()}.
 *
 * <p>Meter names shared by every component (Prometheus form): {@code edgedi_broker_connected},
 * {@code edgedi_broker_reconnects_total}, {@code edgedi_rejected_inputs_total{reason}}, and the
 * standard {@code jvm_memory_used_bytes}, {@code jvm_threads_live_threads}, {@code
 * process_cpu_usage}, {@code process_uptime_seconds}.
 */
public final class ServiceMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);

  /** Prometheus text exposition format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4";

  public static final String REJECTED = "edgedi.rejected.inputs";

  private final PrometheusMeterRegistry registry;
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
  private final Set<String> knownReasons = ConcurrentHashMap.newKeySet();
  private volatile @Nullable ScheduledExecutorService watcher;

  /**
   * @param component the role, e.g. planner, worker, camera (the {@code component} tag)
   */
  public ServiceMetrics(String component) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("component", component);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Runs before every scrape, e.g. to register meters for workers or reasons seen since. */
  public ServiceMetrics beforeScrape(Runnable refresh) {
    beforeScrape.add(refresh);
    return this;
  }

  /** The Prometheus text of every meter. */
  public String scrape() {
    for (Runnable r : beforeScrape) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("metrics refresh failed: {}", e.toString());
      }
    }
    return registry.scrape();
  }

  /** Adds {@code /metrics} to the status server. */
  public ServiceMetrics serveOn(StatusServer server) {
    server.route("/metrics", this::handle);
    return this;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
        StatusServer.respond(ex, 405, "text/plain", "GET only\n");
        return;
      }
      StatusServer.respond(ex, 200, CONTENT_TYPE, scrape());
    }
  }

  /**
   * Rejected inputs by reason from counts kept elsewhere (e.g. {@code DeadLetters::counts}); a
   * reason gets its series the first time it shows up.
   */
  public ServiceMetrics rejectedFrom(Supplier<Map<String, Long>> counts) {
    beforeScrape(
        () -> {
          for (String reason : counts.get().keySet()) {
            if (knownReasons.add(reason)) {
              FunctionCounter.builder(REJECTED, counts, c -> c.get().getOrDefault(reason, 0L))
                  .description("Inputs rejected (dead letters), by reason")
                  .tag("reason", reason)
                  .register(registry);
            }
          }
        });
    return this;
  }

  /** Counts one rejected input (for components that are told of rejections one by one). */
  public void rejected(String reason) {
    Counter.builder(REJECTED)
        .description("Inputs rejected (dead letters), by reason")
        .tag("reason", reason == null ? "UNKNOWN" : reason)
        .register(registry)
        .increment();
  }

  /**
   * The broker connection: {@code edgedi_broker_connected} (1 or 0) and {@code
   * edgedi_broker_reconnects_total}, counted by sampling the connection every 100 ms (Paho waits at
   * least a second before reconnecting, so no outage is missed).
   */
  public ServiceMetrics watchBroker(BooleanSupplier connected) {
    Gauge.builder("edgedi.broker.connected", () -> safe(connected) ? 1 : 0)
        .description("1 while the MQTT connection is up")
        .register(registry);
    Counter reconnects =
        Counter.builder("edgedi.broker.reconnects")
            .description("Times the MQTT connection came back after being lost")
            .register(registry);
    AtomicBoolean wasUp = new AtomicBoolean(false);
    AtomicBoolean everUp = new AtomicBoolean(false);
    ScheduledExecutorService w;
    synchronized (this) {
      if (watcher == null) {
        watcher =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "metrics-broker-watch");
                  t.setDaemon(true);
                  return t;
                });
      }
      w = watcher;
    }
    w.scheduleWithFixedDelay(
        () -> {
          boolean up = safe(connected);
          if (up && !wasUp.get() && everUp.get()) {
            reconnects.increment();
          }
          if (up) {
            everUp.set(true);
          }
          wasUp.set(up);
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    return this;
  }

  private static boolean safe(BooleanSupplier s) {
    try {
      return s.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService w = watcher;
    if (w != null) {
      w.shutdownNow();
    }
    registry.close();
  }
}
