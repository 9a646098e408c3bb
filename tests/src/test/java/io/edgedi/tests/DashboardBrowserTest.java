package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.planner.metrics.PlannerMetrics;
import io.edgedi.planner.web.Dashboard;
import io.edgedi.planner.web.DashboardFeed;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Clock;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.StatusServer;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import io.edgedi.transport.metrics.ServiceMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Opens the planner's dashboard in headless Chromium while a broker, a planner and three workers
 * run in this JVM: frames appear with their band overlay, the worker list follows a worker leaving,
 * and a screenshot lands in target/dashboard.png. Skips where Chromium and its driver (Debian:
 * chromium, chromium-driver; .ci/run installs them) are missing.
 */
class DashboardBrowserTest {
  private static final List<String> CHROMIUM =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  private static final List<String> DRIVER =
      List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
  private int sequence;

  private static Path firstExisting(List<String> candidates) {
    return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
  }

  @Test
  void dashboardShowsWorkersFramesAndBandsLiveWhileWorkersComeAndGo() throws Exception {
    Path chromium = firstExisting(CHROMIUM);
    Path driverBinary = firstExisting(DRIVER);
    assumeTrue(
        chromium != null && driverBinary != null,
        "no headless browser: Chromium ("
            + CHROMIUM
            + ") and chromedriver ("
            + DRIVER
            + ") are needed; on Debian apt-get install chromium chromium-driver");

    ModelSpec model = ModelZoo.byName("resnet18-scar");
    FoldedWeights weights = FoldedWeights.fold(RandomWeights.create(model, 4), "random-seed-4");
    Topics topics = new Topics(ClusterFixture.SITE);
    MessageCodec<Frame> frames = Wire.FRAME.codec();
    StatusServer server = new StatusServer("127.0.0.1", 0);
    try (ClusterFixture cluster = new ClusterFixture(weights, 3);
        ServiceMetrics metrics = new ServiceMetrics("planner");
        MqttLink camera = new MqttLink(cluster.settings("camera", "camera-dashboard"));
        server) {
      PlannerMetrics.install(metrics.serveOn(server), cluster.planner);
      DashboardFeed feed =
          Dashboard.install(
              server,
              cluster.planner,
              Map.of(
                  "model",
                  model.name() + "@" + weights.version(),
                  "planner",
                  "planner",
                  "site",
                  ClusterFixture.SITE));
      server.check("broker", cluster.planner::connected).start();
      camera.connect(null, true);
      String url = "http://127.0.0.1:" + server.port() + "/";

      WebDriver browser = startBrowser(chromium, driverBinary);
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        browser.get(url);
        wait.until(d -> workers(snap(d)).size() == 3 && "live".equals(snap(d).get("live")));

        SyntheticDefectGenerator gen = new SyntheticDefectGenerator();
        for (int i = 0; i < 6; i++) {
          publish(camera, topics, frames, gen, i);
        }
        // Frames queued together are classified nearly at once (worker groups), so the class
        // table may render a second after the thumbnails: wait for both.
        wait.until(
            d -> {
              Map<String, Object> s = snap(d);
              return ((Number) s.get("thumbs")).intValue() >= 6
                  && !bands(s).isEmpty()
                  && ((Number) s.get("classRows")).intValue() == 6;
            });

        // One consistent reading of the page (it re-renders every second).
        Map<String, Object> page = snap(browser);
        // The cluster: three online workers with their measured speed.
        Map<String, String> cardStyle = new HashMap<>();
        for (Map<String, Object> w : workers(page)) {
          cardStyle.put((String) w.get("id"), (String) w.get("style"));
          assertEquals("online", w.get("state"), w.toString());
          assertTrue(((String) w.get("text")).contains("GFLOP/s"), w.toString());
        }
        assertEquals(Set.of("worker-1", "worker-2", "worker-3"), cardStyle.keySet());
        // The latest frame: its first-stage bands, coloured like the worker that computed them.
        for (Map<String, Object> band : bands(page)) {
          String worker = (String) band.get("worker");
          assertTrue(cardStyle.containsKey(worker), worker);
          assertTrue(
              cardStyle.get(worker).contains((String) band.get("fill")),
              "band of " + worker + " has the colour of its card");
        }
        assertTrue(((Number) page.get("strips")).intValue() >= bands(page).size(), "stage strips");
        String cls = ((String) page.get("heroClass")).replace(' ', '_').toLowerCase();
        assertTrue(model.classNames().stream().anyMatch(n -> n.replace('-', '_').equals(cls)), cls);
        assertTrue(((Number) page.get("bandRows")).intValue() >= 2, "band table");
        assertEquals(6, ((Number) page.get("classRows")).intValue(), "class counts");
        wait.until(d -> !((String) snap(d).get("p50")).isEmpty());

        // A worker leaves: its card says so and frames keep coming on the other two.
        cluster.stopWorker(2);
        wait.until(
            d ->
                workers(snap(d)).stream()
                    .anyMatch(
                        w -> "worker-3".equals(w.get("id")) && "offline".equals(w.get("state"))));
        for (int i = 6; i < 9; i++) {
          publish(camera, topics, frames, gen, i);
        }
        wait.until(d -> Integer.parseInt((String) snap(d).get("classified")) >= 9);
        page = snap(browser);
        assertTrue(
            bands(page).stream().noneMatch(b -> "worker-3".equals(b.get("worker"))),
            page.toString());
        assertEquals("2 / 3", page.get("usable"));

        Path shot = Path.of("target", "dashboard.png");
        Files.createDirectories(shot.getParent());
        Files.copy(
            ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
            shot,
            StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(shot) > 10_000, "screenshot saved");
      } catch (Throwable t) {
        // What the page showed, for whoever reads the failure.
        try {
          Files.createDirectories(Path.of("target"));
          Files.copy(
              ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
              Path.of("target", "dashboard-failure.png"),
              StandardCopyOption.REPLACE_EXISTING);
          Files.writeString(Path.of("target", "dashboard-failure.json"), feed.stateJson(true));
        } catch (Exception e) {
          t.addSuppressed(e);
        }
        throw t;
      } finally {
        browser.quit();
        feed.close();
      }

      // /metrics and /health beside the dashboard.
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> m =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, m.statusCode());
      assertTrue(
          m.body().contains("edgedi_planner_frames_classified_total{"), "classified counter");
      assertTrue(
          m.body()
              .contains("edgedi_planner_tiles_total{component=\"planner\",worker=\"worker-1\"}"));
      assertEquals(
          200,
          http.send(
                  HttpRequest.newBuilder(URI.create(url + "health")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
    }
  }

  private static final String SNAPSHOT =
      String.join(
          "\n",
          "const q = (s) => Array.from(document.querySelectorAll(s));",
          "const text = (id) => { const e = document.getElementById(id); return e ? e.textContent : ''; };",
          "const p50 = document.querySelector('#latency-chart path.series-p50');",
          "return {",
          "  workers: q('#workers .worker').map((w) => ({id: w.dataset.worker, state: w.dataset.state,",
          "    style: w.getAttribute('style'), text: w.textContent})),",
          "  bands: q('#hero-svg rect.band').map((b) => ({worker: b.getAttribute('data-worker'),",
          "    fill: b.getAttribute('fill')})),",
          "  strips: q('#stage-strips rect.strip-band').length, heroClass: text('hero-class'),",
          "  bandRows: q('#bands tr').length, classRows: q('#classes .cls-row').length,",
          "  thumbs: q('#recent .thumb').length, classified: text('k-classified'), usable: text('k-workers'),",
          "  live: text('live'), p50: p50 ? (p50.getAttribute('d') || '') : ''};");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> snap(WebDriver d) {
    return (Map<String, Object>) ((JavascriptExecutor) d).executeScript(SNAPSHOT);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> workers(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("workers");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> bands(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("bands");
  }

  private void publish(
      MqttLink camera,
      Topics topics,
      MessageCodec<Frame> codec,
      SyntheticDefectGenerator gen,
      int i)
      throws Exception {
    DefectClass kind = DefectClass.ofIndex(i % 6);
    GrayImage img = gen.generate(kind, 200 + i);
    int seq = sequence++;
    Frame f =
        Frame.newBuilder()
            .setFrameId("cam1-dash-" + seq)
            .setSite(ClusterFixture.SITE)
            .setLine("line1")
            .setCamera("cam1")
            .setSequence(seq)
            .setCapturedAtMicros(Clock.micros())
            .setWidth(200)
            .setHeight(200)
            .setChannels(1)
            .setPixels(ByteBuffer.wrap(img.pixels()))
            .setLabel(kind.folderName())
            .build();
    camera.publish(topics.frames("line1", "cam1"), codec.encode(f), false);
    Thread.sleep(150);
  }

  private static WebDriver startBrowser(Path chromium, Path driverBinary) throws Exception {
    Path profile = Files.createTempDirectory("edgedi-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile,
        "--window-size=1920,1080",
        "--hide-scrollbars");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(driverBinary.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
