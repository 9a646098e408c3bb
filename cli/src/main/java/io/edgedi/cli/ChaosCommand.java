package io.edgedi.cli;

import io.edgedi.camera.CameraGateway;
import io.edgedi.camera.source.SyntheticSource;
import io.edgedi.cli.demo.ResultCollector;
import io.edgedi.cli.report.ChaosReport;
import io.edgedi.cluster.ClusterCredentials;
import io.edgedi.cluster.ClusterProcesses;
import io.edgedi.cluster.LocalCluster;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the demo cluster with two planners (one active, one standby) under load while killing and
 * restarting workers, restarting the broker, killing the active planner together with its state
 * directory (its machine is gone), stopping the active planner gracefully mid-burst (a rollout) and
 * injecting bad messages; then waits for the line to drain and reports what was lost, duplicated
 * (unmarked) and rejected, how long failovers and worker deaths took to heal, and how the
 * processes' memory grew.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description =
        "Run the cluster under load while killing workers, the broker and planners; report losses.")
final class ChaosCommand implements Callable<Integer> {
  private static final String SITE = LocalCluster.SITE;

  @Option(
      names = "--duration",
      defaultValue = "90",
      description = "Seconds of chaos (default ${DEFAULT-VALUE}).")
  int duration;

  @Option(names = "--json", description = "Write the report here as JSON.")
  Path json;

  @Option(
      names = "--workers",
      defaultValue = "3",
      description = "Worker processes (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--model",
      defaultValue = "resnet18-scar",
      description = "Model (default ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--rate",
      defaultValue = "1",
      description =
          "Camera frames per second (default ${DEFAULT-VALUE}: below what this cluster sustains while"
              + " faults strike, so that a frame missing at the end is lost, not just late).")
  double rate;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the fault schedule (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--drain",
      defaultValue = "300",
      description = "Seconds to wait for the line to drain afterwards.")
  int drain;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description = "How many times each fault strikes (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--burst",
      defaultValue = "5",
      description =
          "Frames sent at once right before a planner is killed or stopped (default ${DEFAULT-VALUE}).")
  int burst;

  static final List<String> PLANNERS = List.of("planner-a", "planner-b");

  private final Map<String, Long> rssFirst = new ConcurrentHashMap<>();
  private final Map<String, Long> rssLast = new ConcurrentHashMap<>();

  /** The processes alive at the end of minute one, by "id#pid". */
  private java.util.Set<String> aliveAtMinuteOne;

  private final AtomicLong injected = new AtomicLong();

  /** Bad inputs rejected, by planner: each planner takes every frame on, so each rejects each. */
  private final Map<String, AtomicLong> rejectedBy = new ConcurrentHashMap<>();

  private final List<String> events = new ArrayList<>();
  private final FaultClock clock = new FaultClock();

  @Override
  public Integer call() throws Exception {
    Path runDir =
        Path.of(
            "runs",
            "chaos-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(runDir);
    SplittableRandom rnd = new SplittableRandom(seed);
    Topics topics = new Topics(SITE);
    ResultCollector results = new ResultCollector();
    Set<String> published = ConcurrentHashMap.newKeySet();
    try (LocalCluster cluster =
        LocalCluster.builder(workers).persistentBroker(runDir.resolve("broker")).start()) {
      System.out.println("broker " + cluster.brokerUrl() + ", logs in " + runDir.toAbsolutePath());
      ClusterProcesses procs = cluster.processes();
      for (int i = 1; i <= workers; i++) {
        String id = ClusterCredentials.workerId(i);
        cluster.startWorkerProcess(
            id, runDir.resolve(id + ".log"), List.of("--threads", "1", "--model", model));
      }
      for (String p : PLANNERS) {
        // Client ids planner-a and planner-a-frames: the broker allows user planner planner-*.
        cluster.startProcess(
            p,
            "planner",
            runDir.resolve(p + ".log"),
            List.of(
                "planner",
                "--broker",
                cluster.brokerUrl(),
                "--user",
                "planner",
                "--id",
                p,
                "--site",
                SITE,
                "--model",
                model,
                "--state-dir",
                stateDir(runDir, p).toString()));
      }
      for (String p : PLANNERS) {
        // Both subscribed before the camera starts: a frame published before a planner's first
        // subscription was never queued for it.
        if (!procs.awaitLog(p, "ready", 1, 300_000)) {
          throw new IllegalStateException(p + " did not start within 5 minutes; see " + runDir);
        }
      }
      try (MqttLink mes = new MqttLink(cluster.settings("mes", "mes-chaos"));
          MqttLink cameraLink = new MqttLink(cluster.settings("camera", "cam1"))) {
        mes.connect(null, false);
        results.observe(clock::classified);
        mes.subscribe(topics.allClassifications(), results::accept);
        MessageCodec<io.edgedi.schemas.Error> errors = Wire.ERROR.codec();
        mes.subscribe(
            topics.allErrors(),
            (t, p) -> {
              try {
                io.edgedi.schemas.Error e = errors.decode(p);
                if (PLANNERS.contains(e.getComponent().toString())
                    && Set.of(
                            RejectReason.MALFORMED.name(),
                            RejectReason.WRONG_SIZE.name(),
                            RejectReason.UNKNOWN_SCHEMA.name())
                        .contains(e.getReason().toString())) {
                  rejectedBy
                      .computeIfAbsent(e.getComponent().toString(), k -> new AtomicLong())
                      .incrementAndGet();
                }
              } catch (Exception ex) {
                // not ours to judge
              }
            });
        cameraLink.connect(null, false);
        waitForFirstResult(cameraLink, topics, results);
        CameraGateway camera =
            CameraGateway.mqtt(
                    cameraLink, topics, new SyntheticSource(seed, SyntheticSource.UNBOUNDED))
                .line("line1")
                .camera("cam1")
                .framesPerSecond(rate)
                .listener(f -> published.add(f.getFrameId()))
                .build();
        var running = camera.runAsync();
        long start = System.currentTimeMillis();
        long end = start + duration * 1000L;
        List<String> faults = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          faults.addAll(
              List.of(
                  "kill-worker",
                  "kill-active-planner",
                  "bad-input",
                  "stop-active-planner",
                  "restart-broker"));
        }
        long step = Math.max(8_000, duration * 1000L / (faults.size() + 1));
        int next = 0;
        while (System.currentTimeMillis() < end) {
          Thread.sleep(500);
          long t = System.currentTimeMillis() - start;
          if (t >= 60_000) {
            sampleRss(procs, rssLast);
            baselineRss(procs);
          }
          if (next < faults.size() && t >= (next + 1) * step) {
            String fault = faults.get(next++);
            switch (fault) {
              case "kill-worker" -> {
                String id = ClusterCredentials.workerId(1 + rnd.nextInt(workers));
                publishBurst(cameraLink, topics, published);
                Thread.sleep(200); // frames in flight on the workers when one dies
                Set<String> unclassified = ConcurrentHashMap.newKeySet();
                published.stream()
                    .filter(f -> !results.byFrame().containsKey(f))
                    .forEach(unclassified::add);
                int inFlight = unclassified.size(); // the clock empties the set as they come back
                clock.workerFailed(unclassified, System.currentTimeMillis());
                procs.kill(id);
                log(t, "killed " + id + " (SIGKILL), " + inFlight + " frames in flight");
                Thread.sleep(3_000);
                procs.restart(id);
                log(System.currentTimeMillis() - start, "restarted " + id);
              }
              case "kill-active-planner", "stop-active-planner" -> {
                String active = clock.lastPlanner();
                if (active == null || !PLANNERS.contains(active)) {
                  log(t, "no active planner known; " + fault + " skipped");
                  break;
                }
                publishBurst(cameraLink, topics, published);
                Thread.sleep(200); // mid-burst: the active planner has frames in hand
                long at = System.currentTimeMillis();
                clock.plannerFailed(active, at);
                int started = procs.logCount(active, "ready");
                if (fault.startsWith("kill")) {
                  procs.kill(active);
                  deleteTree(stateDir(runDir, active));
                  log(
                      at - start,
                      "killed the active planner "
                          + active
                          + " (SIGKILL) and deleted its state directory");
                } else {
                  procs.stop(active);
                  log(
                      at - start,
                      "stopped the active planner "
                          + active
                          + " (SIGTERM) after "
                          + (System.currentTimeMillis() - at)
                          + " ms");
                }
                Thread.sleep(2_000);
                procs.restart(active);
                if (!procs.awaitLog(active, "ready", started + 1, 60_000)) {
                  log(
                      System.currentTimeMillis() - start,
                      active + " not ready after 60 s (see its log)");
                }
                log(System.currentTimeMillis() - start, "restarted " + active + " (standby now)");
              }
              case "restart-broker" -> {
                cluster.restartBroker();
                log(t, "restarted the broker");
              }
              default -> {
                injectBadInput(cameraLink, topics, rnd);
                log(t, "injected bad input (" + injected.get() + " so far)");
              }
            }
          }
        }
        camera.stop();
        running.get();
        log(
            System.currentTimeMillis() - start,
            "camera stopped after " + published.size() + " frames; draining");
        long drainEnd = System.currentTimeMillis() + drain * 1000L;
        while (!results.byFrame().keySet().containsAll(published)
            && System.currentTimeMillis() < drainEnd) {
          Thread.sleep(250);
        }
        sampleRss(procs, rssLast);
        Thread.sleep(1_000); // a duplicate would come right behind
        long lost = published.stream().filter(id -> !results.byFrame().containsKey(id)).count();
        long rejected = rejectedBy.values().stream().mapToLong(AtomicLong::get).max().orElse(0);
        Map<String, Double> byProcess = new java.util.TreeMap<>();
        rssFirst.forEach((k, v) -> byProcess.put(k, 100.0 * (rssLast.get(k) - v) / v));
        ChaosReport out =
            new ChaosReport(
                duration,
                model,
                workers,
                published.size(),
                published.size() - lost,
                lost,
                results.duplicates(),
                results.repeats(),
                results.markedButFirst(),
                clock.failovers(),
                clock.failoverMillis(),
                clock.workerHealMillis(),
                injected.get(),
                rejected,
                rejectedBy,
                rssGrowth(),
                byProcess,
                rssFirst,
                rssLast,
                events);
        System.out.println(Json.MAPPER.writeValueAsString(out));
        if (json != null) {
          Json.write(json, out);
        }
        camera.close();
        return lost == 0 && results.duplicates() == 0 && rejected >= injected.get() ? 0 : 1;
      }
    }
  }

  private static Path stateDir(Path runDir, String planner) {
    return runDir.resolve(planner + "-state").toAbsolutePath();
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** {@code burst} valid frames at once, counted as published like the camera's. */
  private void publishBurst(MqttLink camera, Topics topics, Set<String> published) {
    MessageCodec<Frame> codec = Wire.FRAME.codec();
    for (int i = 0; i < burst; i++) {
      String id = "chaos-burst-" + Long.toString(System.nanoTime(), 36);
      try {
        camera.publish(topics.frames("line1", "cam1"), codec.encode(frame(id, 200 * 200)), false);
        published.add(id);
      } catch (Exception e) {
        log(0, "could not publish a burst frame (broker away?): " + e.getMessage());
      }
    }
  }

  private void log(long t, String what) {
    String line = String.format("%6.1fs %s", t / 1000.0, what);
    events.add(line);
    System.out.println(line);
  }

  /**
   * Waits until the cluster has classified a frame: workers up and warm, and the planner's
   * persistent subscription exists (a frame published before a planner ever subscribed has no queue
   * to wait in, so warm-up frames are re-sent until one comes back).
   */
  private void waitForFirstResult(MqttLink camera, Topics topics, ResultCollector results)
      throws Exception {
    MessageCodec<Frame> codec = Wire.FRAME.codec();
    long deadline = System.currentTimeMillis() + 300_000;
    for (int n = 0;
        results.byFrame().keySet().stream().noneMatch(id -> id.startsWith("chaos-warmup-"));
        n++) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "the cluster did not classify a first frame within 5 minutes");
      }
      if (n % 50 == 0) {
        String id = "chaos-warmup-" + Long.toString(System.currentTimeMillis(), 36);
        camera.publish(topics.frames("line1", "cam1"), codec.encode(frame(id, 200 * 200)), false);
      }
      Thread.sleep(200);
    }
  }

  private static Frame frame(String id, int pixels) {
    return Frame.newBuilder()
        .setFrameId(id)
        .setSite(SITE)
        .setLine("line1")
        .setCamera("cam1")
        .setSequence(0)
        .setCapturedAtMicros(io.edgedi.transport.Clock.micros())
        .setWidth(200)
        .setHeight(200)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(new byte[pixels]))
        .setLabel(null)
        .build();
  }

  /** Random bytes, a truncated frame and a frame of the wrong size: three rejections expected. */
  private void injectBadInput(MqttLink camera, Topics topics, SplittableRandom rnd) {
    MessageCodec<Frame> codec = Wire.FRAME.codec();
    byte[] junk = new byte[64 + rnd.nextInt(512)];
    rnd.nextBytes(junk);
    byte[] good = codec.encode(frame("chaos-bad-" + injected.get(), 200 * 200));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length / 3);
    byte[] wrongSize = codec.encode(frame("chaos-bad-size-" + injected.get(), 100));
    for (byte[] payload : List.of(junk, truncated, wrongSize)) {
      try {
        camera.publish(topics.frames("line1", "cam1"), payload, false);
        injected.incrementAndGet();
      } catch (Exception e) {
        log(0, "could not inject (broker away?): " + e.getMessage());
      }
    }
  }

  /**
   * The baseline of growth: for each process alive at the end of minute one, its RSS at the end of
   * its own first minute (a worker restarted just before minute one is still loading TensorFlow
   * then: measured 275 MB, 822 MB a minute later).
   */
  private void baselineRss(ClusterProcesses procs) {
    if (aliveAtMinuteOne == null) {
      aliveAtMinuteOne = new java.util.HashSet<>(rssLast.keySet());
    }
    for (String key : aliveAtMinuteOne) {
      long pid = Long.parseLong(key.substring(key.indexOf('#') + 1));
      boolean oldEnough =
          ProcessHandle.of(pid)
              .flatMap(h -> h.info().startInstant())
              .map(
                  started ->
                      java.time.Duration.between(started, java.time.Instant.now()).toSeconds()
                          >= 60)
              .orElse(false);
      Long now = rssLast.get(key);
      if (oldEnough && now != null) {
        rssFirst.putIfAbsent(key, now);
      }
    }
  }

  private static void sampleRss(ClusterProcesses procs, Map<String, Long> into) {
    for (String id : procs.ids()) {
      try {
        long pid = procs.pid(id);
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("VmRSS:")) {
            into.put(id + "#" + pid, Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
          }
        }
      } catch (Exception e) {
        // the process may be between kill and restart
      }
    }
  }

  /** Largest growth of a process that lived from the first sample to the last (same pid). */
  private Double rssGrowth() {
    Double max = null;
    for (Map.Entry<String, Long> e : rssFirst.entrySet()) {
      Long last = rssLast.get(e.getKey());
      if (last != null && e.getValue() > 0) {
        double g = 100.0 * (last - e.getValue()) / e.getValue();
        max = max == null ? g : Math.max(max, g);
      }
    }
    return max;
  }
}
