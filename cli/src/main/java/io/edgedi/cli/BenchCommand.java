package io.edgedi.cli;

import io.edgedi.cli.emulate.BenchMath;
import io.edgedi.cli.emulate.BenchPlot;
import io.edgedi.cli.emulate.BrokerProbe;
import io.edgedi.cli.emulate.EdgediSpeedup;
import io.edgedi.cli.emulate.Fidelity;
import io.edgedi.cli.emulate.FrameDriver;
import io.edgedi.cli.emulate.Interleaved;
import io.edgedi.cli.emulate.LinkWhatIf;
import io.edgedi.cli.emulate.OneCoreTime;
import io.edgedi.cli.emulate.PlanTiming;
import io.edgedi.cli.emulate.ReduceStats;
import io.edgedi.cli.emulate.RestrictedStrategy;
import io.edgedi.cluster.ClusterCredentials;
import io.edgedi.cluster.DeviceProfile;
import io.edgedi.cluster.EmulatedCluster;
import io.edgedi.cluster.LocalCluster;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.aggregate.ReduceRound;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.OptimalStrategy;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.plan.PlanCost;
import io.edgedi.planner.plan.Strategies;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Planners compared on an emulated cluster ({@link EmulatedCluster}): per planner the per-frame
 * latency (frames one at a time) on the 2..N fastest workers, the speedup over the fastest worker
 * running the whole model alone, the bound on that speedup, and throughput at saturation on all N.
 *
 * <p>The machine is shared, so the single-worker baseline is measured again after every planner
 * and speedups divide by the median of all those baseline frames: a slow minute then moves the
 * baseline and the planners alike instead of skewing one ratio. The spread is in the report.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Compare partition planners on an emulated heterogeneous cluster (cgroup CPU quotas, shaped links).")
final class BenchCommand implements Callable<Integer> {
  private static final String SITE = LocalCluster.SITE;
  private static final long FRAME_TIMEOUT_MS = 120_000;

  @Option(names = "--scenario", required = true,
      description = "Profile: a shipped name (hetero4, homo4, hetero8, pi-cluster) or a JSON file.")
  String scenario;

  @Mixin ModelOptions model;

  @Option(names = "--frames", defaultValue = "20", description = "Frames per planner, sent one at a time (default ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--saturation-frames", defaultValue = "-1",
      description = "Frames sent back to back per planner for throughput (default: 3 x --frames, at least 60).")
  int saturationFrames;

  @Option(names = "--scaling-frames", defaultValue = "-1",
      description = "Frames per cluster size below N, and per baseline re-measurement (default: half of --frames, at least 5).")
  int scalingFrames;

  @Option(names = "--planners", defaultValue = "equal,proportional,edgedi,optimal", split = ",",
      description = "Planners to compare (default ${DEFAULT-VALUE}).")
  List<String> planners;

  @Option(names = "--baseline-planner", defaultValue = "optimal",
      description = "Planner restricted to one worker for the single-worker runs (default ${DEFAULT-VALUE}).")
  String baselinePlanner;

  @Option(names = "--warmup", defaultValue = "2", description = "Unmeasured frames before each measurement (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--json", description = "Write the report here.")
  Path json;

  @Option(names = "--plot", description = "Write a PNG plot (speedup and bound against workers) here.")
  Path plot;

  @Option(names = "--no-network", description = "No network namespaces or link shaping, only CPU quotas.")
  boolean noNetwork;

  @Option(names = "--cpu-emulation",
      description = "quota: the cgroup CPU quota only (full speed in bursts, then a wait for the next period);"
          + " steady: the quota, and each worker also stretches its compute steps to its device's share;"
          + " pace: compute steps and messaging work paced to the share, the worker JVM under a one-core cap"
          + " (default: the profile's choice, else steady; pi-cluster chooses pace).")
  EmulatedCluster.CpuEmulation cpuEmulation;

  @Option(names = "--plan-iterations", defaultValue = "100", description = "Plans timed per size for planMicros (default ${DEFAULT-VALUE}).")
  int planIterations;

  @Option(names = "--original-model", defaultValue = "vgg16",
      description = "The uncompressed model edgediSpeedup compares with: its one-core time here over the fastest"
          + " device's share is its time alone on that device (default ${DEFAULT-VALUE}).")
  String originalModel;

  @Option(names = "--probe-round-trips", defaultValue = "200",
      description = "Small-message round trips through the broker per device link for the fidelity check"
          + " (default ${DEFAULT-VALUE}; 0 = none).")
  int probeRoundTrips;

  /** Payload of the fidelity check's broker round trips: a gate or a partial sum is about this size. */
  private static final int PROBE_BYTES = 100;
  /** Timed one-core frames of the reference, before and again after the single-worker runs. */
  private static final int REFERENCE_RUNS = 7;

  private FoldedWeights weights;
  private LocalCluster local;
  private MqttLink cameraLink;
  private int runs;

  /** What one measured run on the cluster gave. */
  private record Run(List<Double> latencies, int failed, FrameDriver.Burst burst, Map<String, Double> secondsPerGflop,
                     List<Integer> workersUsed, List<List<ReduceRound>> reduceRounds,
                     List<Double> interleavedBaseline, List<Double> predicted, List<WorkerStatus> view,
                     List<Long> plannerBytes) {
    double p50() {
      return BenchMath.percentile(latencies, 50);
    }

    /**
     * Share of the measured frames the planner split over more than one worker: a speedup next
     * to a share of 0 is the fastest worker alone on a good run, not partitioning.
     */
    double splitShare() {
      return workersUsed.isEmpty() ? 0 : workersUsed.stream().filter(n -> n > 1).count() / (double) workersUsed.size();
    }

    double meanWorkers() {
      return workersUsed.stream().mapToInt(Integer::intValue).average().orElse(0);
    }
  }

  /**
   * Bytes through the planner per frame (tasks out, results in), for the split frames and all,
   * against the budget of twice the input frame plus the head's input (the trunk output map).
   */
  private Map<String, Object> plannerBytes(Run r) {
    List<Double> split = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    for (int i = 0; i < r.plannerBytes().size(); i++) {
      all.add((double) r.plannerBytes().get(i));
      if (r.workersUsed().get(i) > 1) {
        split.add((double) r.plannerBytes().get(i));
      }
    }
    var model = weights.model();
    var head = model.shape(model.lastNode());
    long frameBytes = model.inputShape().elements();
    long headBytes = 4L * head.height() * head.width() * head.channels();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("splitFramesP50", split.isEmpty() ? null : BenchMath.round(BenchMath.percentile(split, 50), 0));
    m.put("allFramesP50", all.isEmpty() ? null : BenchMath.round(BenchMath.percentile(all, 50), 0));
    m.put("inputFrameBytes", frameBytes);
    m.put("headFeatureBytes", headBytes);
    m.put("budget", 2 * (frameBytes + headBytes));
    return m;
  }

  @Override
  public Integer call() throws Exception {
    if (frames < 1) {
      throw new IllegalArgumentException("--frames must be >= 1");
    }
    // Enough frames that ramp-up and the slowest worker's last frame do not dominate the rate.
    int satFrames = saturationFrames < 0 ? Math.max(60, 3 * frames) : saturationFrames;
    int scaleFrames = scalingFrames < 0 ? Math.max(5, frames / 2) : scalingFrames;
    long began = System.currentTimeMillis();
    // This process measures the one-core reference itself (OneCoreTime): one TF thread, the
    // caller's, as in the workers. The planner here runs no model, so nothing has started TF yet.
    TfRuntime.useThreads(1);
    DeviceProfile profile = DeviceProfile.load(scenario);
    EmulatedCluster.CpuEmulation emulation = profile.emulation(cpuEmulation);
    weights = model.load();
    Path runDir = Path.of("runs", "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    int n = profile.machines().size();
    String probeUser = ClusterCredentials.workerId(n + 1);
    List<String> notes = new ArrayList<>();
    Map<String, PartitionStrategy> strategies = new LinkedHashMap<>();
    for (String name : planners) {
      strategies.put(name, Strategies.byName(name)); // unknown names fail here, before any worker starts
    }
    PartitionStrategy scaling = Strategies.byName(baselinePlanner);
    Map<String, Object> plannerResults = new LinkedHashMap<>();

    Map<String, Object> out = new LinkedHashMap<>();
    // The spare worker account is the broker probe's echo.
    try (LocalCluster l = LocalCluster.builder(n).spareWorkerAccounts(1)
        .emulate(profile, !noNetwork, emulation, runDir.resolve("workers")).start()) {
      local = l;
      EmulatedCluster c = l.emulated();
      try (MqttLink camera = new MqttLink(l.settings("camera", "cam1"))) {
        cameraLink = camera;
        List<String> workerArgs = new ArrayList<>(List.of("--site", SITE, "--weights-seed", Long.toString(model.seed)));
        if (model.weights != null) {
          workerArgs.addAll(List.of("--weights", model.weights.toAbsolutePath().toString()));
        } else {
          workerArgs.addAll(List.of("--model", weights.model().name()));
        }
        System.out.println("scenario   " + profile.name() + ": " + n + " workers, " + BenchMath.round(profile.totalCpu(), 2)
            + " cores in all, model " + weights.model().name() + ", broker " + l.brokerUrl()
            + (c.anyNetns() ? " (also on the veth addresses)" : ""));
        l.startEmulatedWorkers(workerArgs);
        c.describe(System.out);
        camera.connect(null, false);
        Set<String> all = new LinkedHashSet<>(c.workerIds());

        System.out.println("warming up (workers start and calibrate under their quotas)...");
        // Every worker gets tiles for a while first: a JVM under a small quota takes many frames to
        // JIT-compile its tile path, and the first measured runs would otherwise carry that.
        // Workers build every stage graph a planner may choose before they are usable, one at a
        // time when paced: vgg16 takes minutes.
        run(new RestrictedStrategy(Strategies.byName("proportional"), all), all, Math.max(warmup, 15), 0, 0, 1_800_000);

        OneCoreTime.Measured refBefore = OneCoreTime.of(weights, REFERENCE_RUNS);
        Map<String, Double> solo = new LinkedHashMap<>();
        Map<String, Double> soloSpg = new LinkedHashMap<>();
        Map<String, List<Double>> soloFrames = new LinkedHashMap<>();
        for (String w : all) {
          Run r = run(new RestrictedStrategy(scaling, Set.of(w)), Set.of(w), warmup, frames, 0, 180_000);
          solo.put(w, r.p50());
          soloFrames.put(w, r.latencies());
          soloSpg.put(w, r.secondsPerGflop().getOrDefault(w, 0.0));
          System.out.printf("single     %-9s %-10s p50 %8.1f ms  (%.4f s/GFLOP)%n", w, c.deviceOf(w), r.p50(), soloSpg.get(w));
        }
        String fastest = solo.entrySet().stream().filter(e -> e.getValue() > 0).min(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey).orElseThrow(() -> new IllegalStateException("no worker finished a frame alone"));
        OneCoreTime.Measured reference = OneCoreTime.combine(refBefore, OneCoreTime.of(weights, REFERENCE_RUNS));
        List<Fidelity.Device> fidelityDevices = new ArrayList<>();
        for (String w : all) {
          fidelityDevices.add(Fidelity.device(w, c.deviceOf(w), c.cpuOf(w), solo.get(w), reference));
        }
        List<Fidelity.RoundTrip> roundTrips = new ArrayList<>();
        if (probeRoundTrips > 0) {
          BrokerProbe.Accounts probe = new BrokerProbe.Accounts(probeUser, l.password(probeUser),
              "planner", l.password("planner"), "planner-probe");
          for (String w : all) {
            roundTrips.add(BrokerProbe.measure(c, w, l.brokerPort(), SITE, probe, PROBE_BYTES, probeRoundTrips));
          }
        }
        Fidelity.print(System.out, reference, fidelityDevices, roundTrips);
        OneCoreTime.Measured original = weights.model().name().equals(originalModel) ? reference
            : OneCoreTime.of(FoldedWeights.fold(RandomWeights.create(ModelZoo.byName(originalModel), 1), "random-1"), 3);
        System.out.printf("original   %s one core here %.1f ms CPU (%.1f ms wall) per frame%n", original.model(),
            original.cpuMillis(), original.wallMillis());
        List<String> byspeed = new ArrayList<>(all);
        byspeed.sort(Comparator.comparingDouble(solo::get));
        List<Double> baselineFrames = new ArrayList<>(soloFrames.get(fastest));
        List<Double> baselineRuns = new ArrayList<>(List.of(solo.get(fastest)));
        // Speeds as measured the same way as the speedup: whole frames per second on one worker
        // alone (the planner's learned seconds per GFLOP are reported beside it).
        double bound = BenchMath.bound(solo.values());
        double capacity = BenchMath.capacity(solo.values());

        Map<String, Run> atN = new LinkedHashMap<>();
        Map<String, Double> splitOnly = new LinkedHashMap<>();
        Map<String, Map<Integer, Run>> scalingRuns = new LinkedHashMap<>();
        for (Map.Entry<String, PartitionStrategy> e : strategies.entrySet()) {
          Map<Integer, Run> byK = new LinkedHashMap<>();
          for (int k = 2; k <= n; k++) {
            Set<String> subset = new LinkedHashSet<>(byspeed.subList(0, k));
            Run r = k == n ? run(new Interleaved(e.getValue(), new RestrictedStrategy(scaling, Set.of(fastest))),
                    all, warmup, frames, satFrames, 120_000)
                : run(new RestrictedStrategy(e.getValue(), subset), subset, warmup, scaleFrames, 0, 120_000);
            byK.put(k, r);
            System.out.printf("planner    %-12s %d workers  p50 %8.1f ms%n", e.getKey(), k, r.p50());
          }
          scalingRuns.put(e.getKey(), byK);
          atN.put(e.getKey(), byK.get(n));
          baselineFrames.addAll(byK.get(n).interleavedBaseline());
          if (satFrames > 0) {
            // The same burst with every frame split across all workers: what the worker groups add.
            Run split = run(e.getValue(), all, warmup, 0, satFrames, 120_000, false);
            splitOnly.put(e.getKey(), split.burst().framesPerSecond());
            System.out.printf("planner    %-12s burst without worker groups %.2f frames/s (with: %.2f)%n", e.getKey(),
                split.burst().framesPerSecond(), byK.get(n).burst().framesPerSecond());
          }
          Run base = run(new RestrictedStrategy(scaling, Set.of(fastest)), Set.of(fastest), warmup, scaleFrames, 0, 180_000);
          baselineFrames.addAll(base.latencies());
          baselineRuns.add(base.p50());
          System.out.printf("baseline   %-12s p50 %8.1f ms (again, after %s)%n", fastest, base.p50(), e.getKey());
        }
        double single = BenchMath.percentile(baselineFrames, 50);

        Map<String, Double> speedupAtN = new LinkedHashMap<>();
        Map<String, List<BenchPlot.Point>> curves = new LinkedHashMap<>();
        Map<String, Object> scalingOut = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<String, Run> e : atN.entrySet()) {
          Run r = e.getValue();
          // The fastest worker's own speed drifts within seconds on a shared machine: the speedup
          // is against the single-worker frames interleaved with this planner's own frames.
          double interleaved = BenchMath.percentile(r.interleavedBaseline(), 50);
          double speedup = BenchMath.speedup(interleaved, r.p50());
          double adjacent = (baselineRuns.get(index) + baselineRuns.get(Math.min(index + 1, baselineRuns.size() - 1))) / 2;
          index++;
          speedupAtN.put(e.getKey(), speedup);
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("latencyP50Ms", BenchMath.round(r.p50(), 2));
          p.put("latencyP95Ms", BenchMath.round(BenchMath.percentile(r.latencies(), 95), 2));
          p.put("speedup", BenchMath.round(speedup, 3));
          p.put("bound", BenchMath.round(bound, 3));
          p.put("efficiency", BenchMath.round(BenchMath.efficiency(speedup, bound), 3));
          p.put("interleavedSingleWorkerP50Ms", BenchMath.round(interleaved, 2));
          p.put("speedupVsPooledSingleWorker", BenchMath.round(BenchMath.speedup(single, r.p50()), 3));
          p.put("adjacentSingleWorkerP50Ms", BenchMath.round(adjacent, 2));
          p.put("speedupVsAdjacentSingleWorker", BenchMath.round(BenchMath.speedup(adjacent, r.p50()), 3));
          p.put("framesSplitShare", BenchMath.round(r.splitShare(), 3));
          p.put("workersPerFrameMean", BenchMath.round(r.meanWorkers(), 2));
          p.put("predictedLatencyP50Ms", BenchMath.round(BenchMath.percentile(r.predicted(), 50), 2));
          p.put("predictionErrorP50", BenchMath.round(
              Math.abs(BenchMath.percentile(r.predicted(), 50) - r.p50()) / r.p50(), 3));
          p.put("reduceRounds", ReduceStats.summary(r.reduceRounds()));
          p.put("plannerBytesPerFrame", plannerBytes(r));
          p.put("framesPerSecond", BenchMath.round(r.burst().framesPerSecond(), 3));
          p.put("framesPerSecondEveryFrameSplit", BenchMath.round(splitOnly.getOrDefault(e.getKey(), 0.0), 3));
          p.put("capacityFramesPerSecond", BenchMath.round(capacity, 3));
          p.put("framesMeasured", r.latencies().size());
          p.put("framesFailed", r.failed());
          p.put("saturationFrames", satFrames);
          p.put("saturationClassified", r.burst().classified());
          p.put("saturationSeconds", BenchMath.round(r.burst().seconds(), 2));
          p.put("planMicros", planMicros(strategies.get(e.getKey()), weights.model()));
          if (!r.view().isEmpty()) {
            double learned = r.view().stream().mapToDouble(WorkerStatus::linkLatencyMillis).average().orElse(1.0);
            p.put("learnedLinkLatencyMeanMs", BenchMath.round(learned, 3));
            p.put("learnedWorkers", r.view().stream().map(w -> Map.of("worker", w.workerId(),
                "secondsPerGflop", BenchMath.round(w.secondsPerGflop(), 4), "overheadMs", BenchMath.round(w.overheadMillis(), 2),
                "linkMBytesPerSecond", BenchMath.round(w.linkBytesPerSecond() / 1e6, 2),
                "linkLatencyMs", BenchMath.round(w.linkLatencyMillis(), 3))).toList());
            p.put("whatIfLinks", LinkWhatIf.predict(strategies.get(e.getKey()), weights.model(), r.view(), fastest,
                java.util.stream.DoubleStream.of(learned, 1.0, 0.25, 0.0).distinct().toArray(),
                new double[] {0, 125e6, 1.25e9}, true, false));
          }
          plannerResults.put(e.getKey(), p);
          System.out.printf("planner    %-12s p50 %8.1f ms  p95 %8.1f ms  speedup %.2f (bound %.2f, efficiency %.2f)  %.2f frames/s (capacity %.2f)  %.0f%% of frames split%n",
              e.getKey(), r.p50(), BenchMath.percentile(r.latencies(), 95), speedup, bound,
              BenchMath.efficiency(speedup, bound), r.burst().framesPerSecond(), capacity, 100 * r.splitShare());
          if (p.get("whatIfLinks") instanceof List<?> wi && !wi.isEmpty()) {
            Map<?, ?> best = (Map<?, ?>) wi.get(wi.size() - 1);
            System.out.printf("what-if    %-12s cost model: speedup %s with the learned links, %s with free links and no per-run overhead%n",
                e.getKey(), ((Map<?, ?>) wi.get(0)).get("predictedSpeedup"), best.get("predictedSpeedup"));
          }
          Map<String, Object> reduces = ReduceStats.summary(r.reduceRounds());
          if (reduces.containsKey("roundP50Ms")) {
            System.out.printf("reduces    %-12s %s rounds per split frame, round p50 %s ms of which the slowest band computed %s ms;"
                + " %s ms per split frame beyond computing%n", e.getKey(), reduces.get("roundsPerSplitFrame"),
                reduces.get("roundP50Ms"), reduces.get("slowestBandComputeP50Ms"), reduces.get("overheadPerSplitFrameP50Ms"));
          }

          List<BenchPlot.Point> points = new ArrayList<>(List.of(new BenchPlot.Point(1, 1.0, 1.0)));
          List<Map<String, Object>> rows = new ArrayList<>();
          for (Map.Entry<Integer, Run> k : scalingRuns.get(e.getKey()).entrySet()) {
            List<String> subset = byspeed.subList(0, k.getKey());
            double sp = k.getKey() == n ? speedup : BenchMath.speedup(single, k.getValue().p50());
            double bk = BenchMath.bound(subset.stream().map(solo::get).toList());
            points.add(new BenchPlot.Point(k.getKey(), sp, bk));
            Map<String, Object> pt = new LinkedHashMap<>();
            pt.put("workers", k.getKey());
            pt.put("workerIds", List.copyOf(subset));
            pt.put("latencyP50Ms", BenchMath.round(k.getValue().p50(), 2));
            pt.put("speedup", BenchMath.round(sp, 3));
            pt.put("bound", BenchMath.round(bk, 3));
            pt.put("efficiency", BenchMath.round(BenchMath.efficiency(sp, bk), 3));
            pt.put("framesSplitShare", BenchMath.round(k.getValue().splitShare(), 3));
            rows.add(pt);
          }
          curves.put(e.getKey(), points);
          scalingOut.put(e.getKey(), rows);
        }

        out.put("scenario", profile.name());
        out.put("profile", profileJson(profile));
        out.put("model", weights.model().name());
        out.put("weightsVersion", weights.version());
        out.put("frames", frames);
        out.put("throttled", c.allThrottled());
        out.put("cpuPeriodUs", profile.periodUs());
        out.put("cpuEmulation", emulation.name().toLowerCase());
        List<Map<String, Object>> workers = c.status();
        for (Map<String, Object> w : workers) {
          String id = (String) w.get("worker");
          w.put("singleWorkerLatencyP50Ms", BenchMath.round(solo.get(id), 2));
          w.put("secondsPerGflop", BenchMath.round(soloSpg.get(id), 5));
        }
        out.put("workers", workers);
        out.put("singleWorkerPlanner", baselinePlanner + " restricted to one worker (all rows on it)");
        out.put("fastestWorker", fastest);
        out.put("singleWorkerLatencyP50Ms", BenchMath.round(single, 2));
        out.put("singleWorkerRunsP50Ms", baselineRuns.stream().map(v -> BenchMath.round(v, 2)).toList());
        out.put("bound", BenchMath.round(bound, 3));
        out.put("boundFromSecondsPerGflop", BenchMath.round(BenchMath.bound(soloSpg.values()), 3));
        out.put("capacityFramesPerSecond", BenchMath.round(capacity, 3));
        out.put("planners", plannerResults);
        out.put("fidelity", Fidelity.json(reference, fidelityDevices, roundTrips));
        String splitPlanner = atN.containsKey("optimal") ? "optimal" : atN.entrySet().stream()
            .min(Comparator.comparingDouble(e -> e.getValue().p50())).map(Map.Entry::getKey).orElseThrow();
        EdgediSpeedup headline = EdgediSpeedup.of(original, c.cpuOf(fastest), fastest, c.deviceOf(fastest),
            weights.model().name(), solo.get(fastest), splitPlanner, atN.get(splitPlanner).p50(), bound,
            BenchMath.bound(c.workerIds().stream().map(w -> 1 / c.cpuOf(w)).toList()));
        out.put("edgediSpeedup", BenchMath.round(headline.speedup(), 3));
        out.put("edgediSpeedupBound", BenchMath.round(headline.bound(), 3));
        out.put("edgediSpeedupDetail", headline.json());
        System.out.println(headline.line());
        out.put("scaling", Map.of("framesPerPoint", scaleFrames, "framesAtN", frames, "byPlanner", scalingOut));
        out.put("planMicros", planMicros(Strategies.byName("optimal"), weights.model()));
        out.put("replanMicros", planMicros(new OptimalStrategy(false), weights.model()));
        out.put("replanDrift", OptimalStrategy.REPLAN_DRIFT);
        out.put("reusedCutsWorstLoss", BenchMath.round(PlanTiming.reusedCutsWorstLoss(weights.model(), n, 6,
            OptimalStrategy.REPLAN_DRIFT), 4));
        notes.addAll(c.notes());
        out.put("notes", notes);
        out.put("elapsedSeconds", (System.currentTimeMillis() - began) / 1000);

        if (plot != null) {
          BenchPlot.write(plot, "EdgeDI-MQ bench: " + profile.name() + ", " + weights.model().name() + " ("
              + (c.allThrottled() ? "CPU emulation " + emulation.name().toLowerCase() : "NOT all throttled") + ")", curves);
        }
      }
    }
    System.out.println(Json.MAPPER.writeValueAsString(out));
    if (json != null) {
      Json.write(json, out);
      System.out.println("json       " + json.toAbsolutePath());
    }
    if (plot != null) {
      System.out.println("plot       " + plot.toAbsolutePath());
    }
    return 0;
  }

  /**
   * A fresh planner with the strategy: waits until the given workers are usable, sends the
   * warm-up frames, the sequential frames and then the burst; returns what was measured and the
   * workers' secondsPerGflop right after.
   */
  private Run run(PartitionStrategy strategy, Set<String> needed, int warm, int sequential, int burst,
                  long startTimeoutMillis) throws Exception {
    return run(strategy, needed, warm, sequential, burst, startTimeoutMillis, true);
  }

  private Run run(PartitionStrategy strategy, Set<String> needed, int warm, int sequential, int burst,
                  long startTimeoutMillis, boolean queueGroups) throws Exception {
    String tag = "bench-" + Long.toString(System.currentTimeMillis(), 36) + "-" + (++runs);
    FrameDriver driver = new FrameDriver(cameraLink, new Topics(SITE), weights.model().inputShape().height(),
        weights.model().inputShape().width(), runs, tag);
    try (Planner planner = local.startPlanner("planner", weights, strategy,
        PlannerOptions.defaults("planner", SITE).withQueueGroups(queueGroups), driver)) {
      local.awaitWorkers(planner, needed, startTimeoutMillis);
      Interleaved turns = strategy instanceof Interleaved i ? i : null;
      // Interleaved: the baseline takes every second frame (odd places), the planner the others.
      java.util.function.IntConsumer turn = turns == null ? i -> { } : i -> turns.baselineTurn(i % 2 == 1);
      int arms = turns == null ? 1 : 2;
      if (warm > 0) {
        driver.sequential(warm * arms, FRAME_TIMEOUT_MS, turn);
      }
      FrameDriver.Sequential all = driver.sequential(sequential * arms, FRAME_TIMEOUT_MS, turn);
      FrameDriver.Sequential seq = turns == null ? all : all.arm(0);
      // The speeds behind the measured frames, before the burst (a saturated cluster learns slower ones).
      List<WorkerStatus> view = planner.planningView();
      List<Double> baseline = turns == null ? List.of() : all.arm(1).latencies();
      if (turns != null) {
        turns.baselineTurn(false);
      }
      FrameDriver.Burst b = burst > 0 ? driver.burst(burst, FRAME_TIMEOUT_MS * 2)
          : new FrameDriver.Burst(0, 0, 0, 0);
      Map<String, Double> spg = new LinkedHashMap<>();
      for (WorkerStatus w : planner.cluster().usable(System.currentTimeMillis())) {
        spg.put(w.workerId(), w.secondsPerGflop());
      }
      return new Run(seq.latencies(), seq.failed(), b, spg, seq.workersUsed(), seq.reduceRounds(), baseline,
          seq.predicted(), view, seq.plannerBytes());
    }
  }

  private static Map<String, Object> profileJson(DeviceProfile p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("description", p.description());
    m.put("devices", p.machines().stream().map(d -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("name", d.name());
      x.put("kind", d.kind());
      x.put("cpuCores", d.cpu());
      if (d.link() != null) {
        x.put("linkMbit", d.link().mbit());
        x.put("linkLatencyMs", d.link().latency());
      }
      return x;
    }).toList());
    m.put("shareBound", BenchMath.round(BenchMath.bound(p.machines().stream().map(d -> 1 / d.cpu()).toList()), 3));
    return m;
  }

  /** Median CPU microseconds per plan at 8, 64 and 1000 synthetic workers. */
  private Map<String, Object> planMicros(PartitionStrategy strategy, io.edgedi.inference.model.ModelSpec m) {
    Map<String, Object> micros = new LinkedHashMap<>();
    for (int size : new int[] {8, 64, 1000}) {
      int iterations = size >= 1000 ? Math.max(1, planIterations / 10) : planIterations;
      micros.put(Integer.toString(size), BenchMath.round(PlanTiming.microsPerPlan(strategy, m, size, iterations), 1));
    }
    return micros;
  }
}
