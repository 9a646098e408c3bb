package io.edgedi.planner.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.planner.cluster.ClusterView;
import io.edgedi.planner.web.SampleReports;
import io.edgedi.transport.Clock;
import io.edgedi.transport.StatusServer;
import io.edgedi.transport.metrics.ServiceMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PlannerMetricsTest {

  @Test
  void scrapeOverHttpHasThePlannersMetricsInPrometheusFormat() throws Exception {
    ClusterView cluster = SampleReports.cluster();
    AtomicBoolean connected = new AtomicBoolean(true);
    StatusServer server = new StatusServer("127.0.0.1", 0);
    try (ServiceMetrics metrics = new ServiceMetrics("planner");
        server) {
      PlannerMetrics m =
          new PlannerMetrics(
              metrics, cluster::all, () -> cluster.usable(System.currentTimeMillis()).size());
      metrics
          .watchBroker(connected::get)
          .rejectedFrom(() -> Map.of("WRONG_SIZE", 2L, "MALFORMED", 1L));
      metrics.serveOn(server);
      server.check("broker", connected::get).start();
      m.onClassified(SampleReports.report("f1", "line1", 0, Clock.micros()));
      m.onClassified(SampleReports.report("f2", "line1", 0, Clock.micros()));
      m.onClassified(SampleReports.report("f3", "line2", 5, Clock.micros()));
      m.onFrameFailed("f4", "worker lost", true);
      m.onFrameFailed("f4", "worker lost", false);
      connected.set(false);
      Thread.sleep(400);
      connected.set(true);
      Thread.sleep(400);

      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(
          r.headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("text/plain; version=0.0.4"));
      String text = r.body();
      java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-sample.txt"), text);
      assertEquals(
          2.0,
          value(
              text,
              "edgedi_planner_frames_classified_total",
              "class=\"crazing\"",
              "line=\"line1\""));
      assertEquals(
          1.0,
          value(
              text,
              "edgedi_planner_frames_classified_total",
              "class=\"scratches\"",
              "line=\"line2\""));
      assertEquals(
          3.0, value(text, "edgedi_planner_frame_latency_seconds_count", "phase=\"total\""));
      assertEquals(
          3.0,
          value(
              text,
              "edgedi_planner_frame_latency_seconds_bucket",
              "phase=\"total\"",
              "le=\"0.05\""));
      assertEquals(
          0.0,
          value(
              text,
              "edgedi_planner_frame_latency_seconds_bucket",
              "phase=\"total\"",
              "le=\"0.025\""));
      assertEquals(3.0, value(text, "edgedi_planner_stage_latency_seconds_count", "stage=\"0\""));
      assertEquals(3.0, value(text, "edgedi_planner_stage_latency_seconds_count", "stage=\"1\""));
      assertEquals(
          6.0, value(text, "edgedi_planner_band_compute_seconds_count", "worker=\"worker-2\""));
      assertEquals(6.0, value(text, "edgedi_planner_tiles_total", "worker=\"worker-1\""));
      assertEquals(12.0, value(text, "edgedi_planner_band_actual_over_predicted_count"));
      assertEquals(
          0.05, value(text, "edgedi_planner_worker_seconds_per_gflop", "worker=\"worker-1\""));
      assertEquals(1.0, value(text, "edgedi_planner_worker_online", "worker=\"worker-2\""));
      assertEquals(0.0, value(text, "edgedi_planner_worker_online", "worker=\"worker-3\""));
      assertEquals(0.25, value(text, "edgedi_planner_worker_load", "worker=\"worker-1\""));
      assertEquals(
          1.0, value(text, "edgedi_planner_worker_tiles_in_flight", "worker=\"worker-1\""));
      assertEquals(2.0, value(text, "edgedi_planner_workers_usable"));
      assertEquals(1.0, value(text, "edgedi_planner_replans_total"));
      assertEquals(1.0, value(text, "edgedi_planner_frames_failed_total"));
      assertEquals(2.0, value(text, "edgedi_rejected_inputs_total", "reason=\"WRONG_SIZE\""));
      assertEquals(1.0, value(text, "edgedi_broker_connected"));
      assertEquals(1.0, value(text, "edgedi_broker_reconnects_total"));
      assertTrue(text.contains("\njvm_memory_used_bytes{area=\"heap\""), "JVM memory");
      assertTrue(text.contains("component=\"planner\""));

      // A worker that joins later gets its series at the next scrape.
      long now = System.currentTimeMillis();
      cluster.update(
          io.edgedi.schemas.Telemetry.newBuilder()
              .setWorkerId("worker-9")
              .setOnline(true)
              .setSentAtMicros(0)
              .setSecondsPerGflop(0.5)
              .setFixedOverheadMillis(1)
              .setCores(1)
              .setLoad(0)
              .setMemoryUsedBytes(1)
              .setMemoryMaxBytes(1)
              .setTilesInFlight(0)
              .setTilesDone(0)
              .setModelId("resnet18-scar@random")
              .setAgentVersion("t")
              .build(),
          now);
      assertEquals(
          0.5,
          value(
              metrics.scrape(), "edgedi_planner_worker_seconds_per_gflop", "worker=\"worker-9\""));
    }
  }

  /** The value of the one sample of {@code name} whose labels include all of {@code labels}. */
  static double value(String text, String name, String... labels) {
    Pattern p =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    Double found = null;
    while (m.find()) {
      String l = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String want : labels) {
        all &= l.contains(want);
      }
      if (all) {
        if (found != null) {
          throw new AssertionError("more than one " + name + " with " + String.join(",", labels));
        }
        found = Double.parseDouble(m.group(2));
      }
    }
    if (found == null) {
      throw new AssertionError("no " + name + " with " + String.join(",", labels) + " in\n" + text);
    }
    return found;
  }
}
