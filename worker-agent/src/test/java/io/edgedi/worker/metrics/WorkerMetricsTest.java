package io.edgedi.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.schemas.Telemetry;
import io.edgedi.transport.metrics.ServiceMetrics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
  @Test
  void scrapeShowsTilesSpeedLoadRejectionsAndBroker() {
    AtomicInteger done = new AtomicInteger(3);
    try (ServiceMetrics m = new ServiceMetrics("worker")) {
      WorkerMetrics.bind(
          m,
          () ->
              Telemetry.newBuilder()
                  .setWorkerId("worker-1")
                  .setOnline(true)
                  .setSentAtMicros(0)
                  .setSecondsPerGflop(0.125)
                  .setFixedOverheadMillis(2)
                  .setCores(4)
                  .setLoad(0.5)
                  .setMemoryUsedBytes(1024)
                  .setMemoryMaxBytes(4096)
                  .setTilesInFlight(2)
                  .setTilesDone(done.get())
                  .setModelId("m")
                  .setAgentVersion("t")
                  .build(),
          () -> true,
          () -> Map.of("MALFORMED", 4L));
      done.set(7);
      String text = m.scrape();
      assertTrue(text.contains("edgedi_worker_tiles_done_total{component=\"worker\"} 7.0"), text);
      assertTrue(text.contains("edgedi_worker_tiles_in_flight{component=\"worker\"} 2.0"), text);
      assertTrue(
          text.contains("edgedi_worker_seconds_per_gflop{component=\"worker\"} 0.125"), text);
      assertTrue(text.contains("edgedi_worker_overhead_seconds{component=\"worker\"} 0.002"), text);
      assertTrue(text.contains("edgedi_worker_load{component=\"worker\"} 0.5"), text);
      assertTrue(
          text.contains("edgedi_worker_resident_memory_bytes{component=\"worker\"} 1024.0"), text);
      assertTrue(
          text.contains(
              "edgedi_rejected_inputs_total{component=\"worker\",reason=\"MALFORMED\"} 4.0"),
          text);
      assertTrue(text.contains("edgedi_broker_reconnects_total{component=\"worker\"} 0.0"), text);
      assertTrue(text.contains("jvm_memory_used_bytes{"), text);
    }
  }
}
