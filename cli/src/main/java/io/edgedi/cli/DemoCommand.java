package io.edgedi.cli;

import io.edgedi.camera.CameraGateway;
import io.edgedi.camera.capture.Degradation;
import io.edgedi.camera.capture.DegradingSource;
import io.edgedi.camera.source.FolderSource;
import io.edgedi.camera.source.FrameSource;
import io.edgedi.camera.source.ImageLoader;
import io.edgedi.camera.source.LineScanSource;
import io.edgedi.camera.source.SizePolicy;
import io.edgedi.camera.source.SyntheticSource;
import io.edgedi.camera.stream.StreamSource;
import io.edgedi.cli.demo.DemoSummary;
import io.edgedi.cli.demo.LineScanCheck;
import io.edgedi.cli.demo.ResultCollector;
import io.edgedi.cli.report.DemoReport;
import io.edgedi.cluster.Await;
import io.edgedi.cluster.ClusterCredentials;
import io.edgedi.cluster.LocalCluster;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.MonolithicInference;
import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.window.WindowHead;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.metrics.PlannerMetrics;
import io.edgedi.planner.plan.Strategies;
import io.edgedi.planner.web.Dashboard;
import io.edgedi.planner.web.DashboardFeed;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.StatusServer;
import io.edgedi.transport.Topics;
import io.edgedi.transport.metrics.ServiceMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job: an embedded broker, N worker agents (own JVMs by default), the planner, a camera
 * and an MES-side observer, on loopback; prints a summary and compares every classification with
 * monolithic inference of the same frame.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the whole system on this machine: broker, workers, planner, camera; print a summary.")
final class DemoCommand implements Callable<Integer> {
  private static final String SITE = LocalCluster.SITE;
  private static final String LINE = "line1";
  private static final String CAMERA = "cam1";

  @Mixin ModelOptions model;
  @Mixin WindowOptions windows;

  @Option(
      names = "--workers",
      defaultValue = "3",
      description = "Worker agents (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--frames",
      defaultValue = "30",
      description = "Frames to publish (default ${DEFAULT-VALUE}).")
  long frames;

  @Option(
      names = "--rate",
      defaultValue = "2",
      description =
          "Camera frames per second (default ${DEFAULT-VALUE}; 0 = as fast as the broker takes them, to measure saturation).")
  double rate;

  @Option(
      names = "--images",
      description =
          "Folder of images (class folders or class-prefixed names) instead of synthetic frames.")
  Path images;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the synthetic frames (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--url",
      description =
          "Run the line on a stream instead of synthetic frames: rtsp://..., "
              + "http(s)://... (MJPEG), a video file or /dev/videoN (as camera --url; frames are unlabelled, --rate does "
              + "not apply).")
  String url;

  @Option(
      names = "--degrade",
      paramLabel = "KIND[:LEVEL][+KIND[:LEVEL]]",
      description =
          "Degrade every frame as a worse camera would (e.g. noise:5+jpeg:40; a kind alone takes its "
              + "realistic level; kinds as in eval --perturb).")
  String degrade;

  @Option(
      names = "--line-scan",
      description =
          "Run the line on generated line-scan strips (WIDTHxROWS, default "
              + "1024x600) with defects at known places: each is cut into windows, and the summary scores every window "
              + "against the generator's labels.",
      arity = "0..1",
      fallbackValue = "1024x600")
  String lineScan;

  @Option(names = "--json", description = "Write the summary here as JSON.")
  Path json;

  @Option(names = "--hold", description = "Keep everything running after the frames until Ctrl-C.")
  boolean hold;

  @Option(
      names = "--tls",
      description =
          "Generate a certificate and run every connection over the broker's TLS listener.")
  boolean tls;

  @Option(
      names = "--in-process",
      description = "Run the workers in this JVM instead of one JVM each.")
  boolean inProcess;

  @Option(
      names = "--worker-threads",
      defaultValue = "1",
      description = "TF threads per worker (default ${DEFAULT-VALUE}).")
  int workerThreads;

  @Option(
      names = "--http-port",
      defaultValue = "${env:EDGEDI_HTTP_PORT:-0}",
      description =
          "Port of the planner's live dashboard, with /health and /metrics beside it, on 127.0.0.1"
              + " (env EDGEDI_HTTP_PORT; default 0 = any free port, -1 = off).")
  int httpPort;

  @Option(
      names = "--planner",
      defaultValue = "${env:EDGEDI_PLANNER:-optimal}",
      description =
          "Plan algorithm: equal, proportional, edgedi or optimal (env EDGEDI_PLANNER; default ${DEFAULT-VALUE}).")
  String plannerName;

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || frames < 1) {
      throw new IllegalArgumentException("--workers and --frames must be >= 1");
    }
    TfRuntime.useThreads(workerThreads);
    FoldedWeights weights = model.load();
    boolean trained = model.trained();
    Path runDir =
        Path.of(
            "runs",
            "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(runDir);
    LocalCluster.Builder setup = LocalCluster.builder(workers);
    if (tls) {
      setup.tls(runDir.resolve("tls"));
    }
    try (LocalCluster cluster = setup.start()) {
      String brokerUrl = cluster.brokerUrl();
      System.out.println(
          "broker     "
              + brokerUrl
              + "  (site "
              + SITE
              + ")"
              + (tls ? "  trust store " + System.getProperty("edgedi.truststore") : ""));
      System.out.println(
          "MES login  user mes, password "
              + new String(cluster.password("mes"))
              + "  (read-only: edgedi/v1/"
              + SITE
              + "/+/classifications-json/+ and more)");
      System.out.println(
          "model      "
              + weights.model().name()
              + "@"
              + weights.version()
              + (trained
                  ? ""
                  : "  -- RANDOM WEIGHTS: no trained weights given, classes are meaningless"));
      System.out.println("logs       " + runDir.toAbsolutePath());
      for (int i = 1; i <= workers; i++) {
        String id = ClusterCredentials.workerId(i);
        if (inProcess) {
          cluster.startWorker(id, weights);
        } else {
          List<String> args =
              new ArrayList<>(
                  List.of(
                      "--threads",
                      Integer.toString(workerThreads),
                      "--weights-seed",
                      Long.toString(model.seed)));
          if (model.weights != null) {
            args.addAll(List.of("--weights", model.weights.toAbsolutePath().toString()));
          } else if (model.model != null) {
            args.addAll(List.of("--model", weights.model().name()));
          } // else: the worker loads the same shipped model
          cluster.startWorkerProcess(id, runDir.resolve(id + ".log"), args);
        }
      }
      WindowHead windowHead = windows.load(weights);
      try (Planner planner =
              cluster.startPlanner(
                  "planner",
                  weights,
                  Strategies.byName(plannerName),
                  PlannerOptions.defaults("planner", SITE).withWindowStride(windows.stride),
                  windowHead);
          MqttLink mes = new MqttLink(cluster.settings("mes", "mes-demo"));
          MqttLink cameraLink = new MqttLink(cluster.settings("camera", CAMERA));
          Web web =
              httpPort < 0
                  ? null
                  : new Web(
                      httpPort,
                      planner,
                      weights.model().name() + "@" + weights.version(),
                      plannerName)) {
        if (web != null) {
          System.out.println(
              "dashboard  "
                  + web.url()
                  + "  (live; "
                  + web.url()
                  + "metrics, "
                  + web.url()
                  + "health)");
        }
        cluster.awaitWorkers(planner, workers, 180_000);
        System.out.println("workers    " + workers + " online");
        Topics topics = new Topics(SITE);
        ResultCollector results = new ResultCollector();
        mes.connect(null, true);
        mes.subscribe(topics.allClassifications(), results::accept);
        cameraLink.connect(null, false);
        Map<String, Frame> sent = new ConcurrentHashMap<>();
        long limit = hold ? Long.MAX_VALUE : frames;
        StreamSource stream =
            url == null
                ? null
                : StreamSource.ffmpeg(
                        url, ImageLoader.NEU_SIZE, ImageLoader.NEU_SIZE, 8, Duration.ofSeconds(5))
                    .start();
        LineScanSource strips = lineScan == null ? null : lineScanSource();
        FrameSource source =
            stream != null
                ? stream
                : strips != null
                    ? strips
                    : images != null
                        ? new FolderSource(images, true, SizePolicy.RESIZE)
                        : new SyntheticSource(seed, SyntheticSource.UNBOUNDED);
        if (degrade != null) {
          source = new DegradingSource(source, Degradation.parse(degrade), seed);
        }
        CameraGateway camera =
            CameraGateway.mqtt(cameraLink, topics, source)
                .line(LINE)
                .camera(CAMERA)
                .framesPerSecond(stream != null ? 0 : rate)
                .maxFrames(limit)
                .listener(
                    f -> {
                      if (sent.size() < frames) {
                        sent.put(f.getFrameId(), f);
                      }
                    })
                .build();
        var running = camera.runAsync();
        long deadline = System.currentTimeMillis() + 60_000 + frames * 10_000;
        try (ProgressBar bar = new ProgressBar("classified", frames)) {
          while (countClassified(results, sent) < frames && System.currentTimeMillis() < deadline) {
            bar.stepTo(countClassified(results, sent));
            String dead = cluster.deadProcess();
            if (dead != null) {
              throw new IllegalStateException("a worker died: " + dead);
            }
            Thread.sleep(100);
          }
          bar.stepTo(countClassified(results, sent));
        }
        if (!hold) {
          camera.stop();
          running.get();
        }
        // Every classification the planner published has reached the MES side (a duplicate too).
        Await.until(() -> results.received() >= planner.classified(), 10_000);
        List<Classification> mine = new ArrayList<>();
        for (String id : sent.keySet()) {
          Classification c = results.byFrame().get(id);
          if (c != null) {
            mine.add(c);
          }
        }
        // Windows are compared one by one below; a strip as a whole has no monolithic run to match.
        double diff = strips != null ? 0 : compareWithMonolithic(weights, sent, results.byFrame());
        DemoReport summary =
            DemoSummary.of(
                Math.min(camera.published(), frames),
                mine,
                results.duplicates(),
                diff,
                trained,
                weights.model().name(),
                weights.version(),
                workers,
                new DemoReport.Setup(
                    plannerName,
                    !inProcess,
                    planner.deadLetters().counts(),
                    stream == null
                        ? null
                        : new DemoReport.Stream(
                            url, stream.decoded(), stream.dropped(), stream.reconnects())));
        DemoReport.LineScan scan = null;
        if (strips != null) {
          scan = new LineScanCheck(strips, weights, windowHead).summary(sent, results.byFrame());
          summary = summary.withLineScan(scan);
        }
        System.out.println(Json.MAPPER.writeValueAsString(summary));
        if (json != null) {
          Json.write(json, summary);
        }
        if (hold) {
          System.out.println("holding; Ctrl-C to stop");
          new CountDownLatch(1).await();
        }
        camera.close();
        boolean ok =
            mine.size() == frames
                && diff <= ExactnessCommand.TOLERANCE
                && results.duplicates() == 0
                && (scan == null || scan.windowClassMismatchesVsMonolithic() == 0);
        return ok ? 0 : 1;
      }
    }
  }

  private LineScanSource lineScanSource() {
    String[] size = lineScan.toLowerCase(java.util.Locale.ROOT).split("x");
    if (size.length != 2) {
      throw new IllegalArgumentException(
          "--line-scan takes WIDTHxROWS, e.g. 1024x600: " + lineScan);
    }
    return new LineScanSource(
        seed, SyntheticSource.UNBOUNDED, Integer.parseInt(size[0]), Integer.parseInt(size[1]));
  }

  /** The planner's dashboard, /metrics and /health on loopback. */
  private static final class Web implements AutoCloseable {
    final StatusServer server;
    final ServiceMetrics metrics = new ServiceMetrics("planner");
    final DashboardFeed feed;

    Web(int port, Planner planner, String model, String strategy) throws java.io.IOException {
      server = new StatusServer("127.0.0.1", port);
      PlannerMetrics.install(metrics.serveOn(server), planner);
      feed =
          Dashboard.install(
              server,
              planner,
              Map.of("model", model, "planner", "planner", "site", SITE, "strategy", strategy));
      server.check("broker", planner::connected).check("model", () -> true).start();
    }

    String url() {
      return "http://127.0.0.1:" + server.port() + "/";
    }

    @Override
    public void close() {
      feed.close();
      server.close();
      metrics.close();
    }
  }

  private static long countClassified(ResultCollector results, Map<String, Frame> sent) {
    return sent.keySet().stream().filter(results.byFrame()::containsKey).count();
  }

  /** Largest logit difference between each classified frame and monolithic inference of it. */
  private static double compareWithMonolithic(
      FoldedWeights weights, Map<String, Frame> sent, Map<String, Classification> results) {
    double max = 0;
    try (MonolithicInference local = new MonolithicInference(weights)) {
      for (Map.Entry<String, Frame> e : sent.entrySet()) {
        Classification c = results.get(e.getKey());
        if (c == null) {
          continue;
        }
        Frame f = e.getValue();
        float[] want = local.runGray(f.getHeight(), f.getWidth(), f.getPixels()).logits();
        float[] got = new float[c.getLogits().size()];
        for (int i = 0; i < got.length; i++) {
          got[i] = c.getLogits().get(i);
        }
        max = Math.max(max, ExactnessCheck.maxAbsDiff(want, got));
      }
    }
    return max;
  }
}
