package io.edgedi.planner.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedi.planner.cluster.ClusterView;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Clock;
import io.edgedi.transport.StatusServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DashboardFeedTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static DashboardFeed feed(ClusterView cluster) {
    return new DashboardFeed(
        new DashboardFeed.Source(
            cluster::all,
            () -> cluster.usable(System.currentTimeMillis()),
            () -> true,
            () -> 2,
            Map.of("model", "resnet18-scar@random", "planner", "planner")));
  }

  private static JsonNode waitForFrames(DashboardFeed feed, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 5_000;
    while (true) {
      JsonNode s = JSON.readTree(feed.stateJson(true));
      if ((s.get("frames").size() >= n && s.get("incidents").size() >= 2)
          || System.currentTimeMillis() > deadline) {
        return s;
      }
      Thread.sleep(20);
    }
  }

  @Test
  void stateHoldsWorkersFramesWithBandsSeriesAndClassCounts() throws Exception {
    try (DashboardFeed feed = feed(SampleReports.cluster())) {
      long now = Clock.micros();
      feed.onClassified(SampleReports.report("cam1-1", "line1", 0, now));
      feed.onClassified(SampleReports.report("cam1-2", "line1", 5, now));
      feed.onClassified(SampleReports.report("cam2-1", "line2", 5, now));
      feed.onFrameFailed("cam1-3", "worker-2 went quiet", true);
      feed.onRejected(RejectReason.WRONG_SIZE);
      JsonNode s = waitForFrames(feed, 3);

      assertEquals("resnet18-scar@random", s.at("/info/model").asText());
      assertEquals(2, s.get("queued").asInt());
      JsonNode workers = s.get("workers");
      assertEquals(3, workers.size());
      assertEquals("worker-1", workers.get(0).get("id").asText());
      assertEquals("online", workers.get(0).get("state").asText());
      assertTrue(workers.get(0).get("usable").asBoolean());
      assertEquals(20.0, workers.get(0).get("gflops").asDouble(), 1e-9);
      assertEquals(2, workers.get(0).get("tiles").asInt() / 3, "two bands per frame, three frames");
      assertEquals("offline", workers.get(2).get("state").asText());
      assertEquals(false, workers.get(2).get("usable").asBoolean());

      JsonNode frame = s.get("frames").get(0);
      assertEquals("cam2-1", frame.get("id").asText(), "newest first");
      assertEquals("scratches", frame.get("className").asText());
      assertEquals(6, frame.get("scores").size());
      assertTrue(frame.get("trusted").asBoolean());
      assertEquals(0, frame.get("untrustedReasons").size());
      assertEquals(40.0, frame.get("latencyMs").asDouble(), 1e-9);
      JsonNode band = frame.at("/stages/0/bands/1");
      assertEquals("worker-2", band.get("worker").asText());
      assertEquals(120, band.get("start").asInt());
      assertEquals(200, band.get("end").asInt());
      assertEquals(4.0, band.get("predictedMs").asDouble(), 1e-9);
      assertEquals(4.2, band.get("actualMs").asDouble(), 1e-9);
      assertEquals(50, frame.at("/stages/1/height").asInt());

      assertEquals(1, s.at("/classes/line1/crazing").asInt());
      assertEquals(1, s.at("/classes/line1/scratches").asInt());
      assertEquals(1, s.at("/classes/line2/scratches").asInt());
      assertEquals(3, s.at("/totals/classified").asInt());
      assertEquals(1, s.at("/totals/replans").asInt());
      assertEquals(1, s.at("/totals/rejected").asInt());
      assertEquals(2, s.get("incidents").size());
      assertEquals(3, s.at("/lastMinute/n").asInt());
      assertEquals(40.0, s.at("/lastMinute/p95").asDouble(), 1e-9);
      JsonNode points = s.at("/series/points");
      assertEquals(LatencySeries.SERIES_SECONDS / LatencySeries.BUCKET_SECONDS, points.size());
      int withData = 0;
      for (JsonNode p : points) {
        withData += p.get("n").asInt();
      }
      assertEquals(3, withData);
    }
  }

  @Test
  void keepsOnlyTheRecentFrames() throws Exception {
    try (DashboardFeed feed = feed(SampleReports.cluster())) {
      for (int i = 0; i < DashboardFeed.RECENT_FRAMES + 5; i++) {
        feed.onClassified(SampleReports.report("f" + i, "line1", i % 6, Clock.micros()));
      }
      long deadline = System.currentTimeMillis() + 5_000;
      JsonNode s;
      do {
        Thread.sleep(20);
        s = JSON.readTree(feed.stateJson(true));
      } while (s.at("/totals/classified").asInt() < DashboardFeed.RECENT_FRAMES + 5
          && System.currentTimeMillis() < deadline);
      assertEquals(DashboardFeed.RECENT_FRAMES, s.get("frames").size());
      assertEquals("f" + (DashboardFeed.RECENT_FRAMES + 4), s.at("/frames/0/id").asText());
      assertEquals(null, feed.png("f0"));
    }
  }

  @Test
  void servesThePageStateImagesAndALiveEventStream() throws Exception {
    StatusServer server = new StatusServer("127.0.0.1", 0);
    try (DashboardFeed feed = feed(SampleReports.cluster());
        server) {
      Dashboard.routes(server, feed);
      server.start();
      String base = "http://127.0.0.1:" + server.port();

      HttpResponse<String> page = get(base + "/");
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
      assertTrue(page.body().contains("dashboard.js"));
      assertTrue(page.body().contains("id=\"workers\""));
      assertTrue(
          !page.body().contains("http://") && !page.body().contains("https://"),
          "nothing is loaded from elsewhere");
      assertEquals(200, get(base + "/dashboard.js").statusCode());
      assertEquals(200, get(base + "/dashboard.css").statusCode());
      assertEquals(404, get(base + "/../etc/passwd").statusCode());
      assertEquals(404, get(base + "/nothing-here.html").statusCode());
      assertEquals(200, get(base + "/health").statusCode(), "the status server's own route stays");

      // The stream greets with the whole picture, then pushes each frame as it is done.
      BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);
      var conn =
          (java.net.HttpURLConnection) URI.create(base + "/api/events").toURL().openConnection();
      conn.setReadTimeout(10_000);
      assertEquals(200, conn.getResponseCode());
      assertTrue(conn.getContentType().startsWith("text/event-stream"));
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(conn.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                  }
                } catch (Exception e) {
                  lines.add("closed: " + e);
                }
              });
      reader.setDaemon(true);
      reader.start();
      JsonNode greeting = JSON.readTree(dataOf(lines, "state"));
      assertEquals(3, greeting.get("workers").size());
      assertEquals(0, greeting.get("frames").size());

      feed.onClassified(SampleReports.report("cam1-42", "line1", 2, Clock.micros()));
      JsonNode frame = JSON.readTree(dataOf(lines, "frame"));
      assertEquals("cam1-42", frame.get("id").asText());
      assertEquals("patches", frame.get("className").asText());
      assertEquals("worker-1", frame.at("/stages/0/bands/0/worker").asText());
      JsonNode tick = JSON.readTree(dataOf(lines, "state"));
      assertEquals(1, tick.at("/totals/classified").asInt());
      assertTrue(tick.get("frames") == null, "periodic states leave the frames out");

      HttpResponse<byte[]> png =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/" + frame.get("image").asText())).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, png.statusCode());
      assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png.body(), 4));
      var img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
      assertEquals(200, img.getWidth());
      assertEquals((7 + 3) & 0xff, img.getRaster().getSample(3, 7, 0), "the frame's own pixels");
      assertEquals(404, get(base + "/api/frames/unknown.png").statusCode());

      JsonNode state = JSON.readTree(get(base + "/api/state").body());
      assertEquals("cam1-42", state.at("/frames/0/id").asText());
      assertEquals(1, feed.clients());
      conn.disconnect();
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The data line of the next event of that name. */
  private static String dataOf(BlockingQueue<String> lines, String event)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    boolean inEvent = false;
    while (System.currentTimeMillis() < deadline) {
      String l = lines.poll(100, TimeUnit.MILLISECONDS);
      if (l == null) {
        continue;
      }
      if (l.startsWith("closed: ")) {
        throw new AssertionError(l);
      }
      if (l.equals("event: " + event)) {
        inEvent = true;
      } else if (inEvent && l.startsWith("data: ")) {
        return l.substring(6);
      } else if (l.isEmpty()) {
        inEvent = false;
      }
    }
    throw new AssertionError("no " + event + " event within 10 s");
  }
}
