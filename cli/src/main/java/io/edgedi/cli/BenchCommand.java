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
import io.edgedi.cli.report.BenchReport;
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
import io.edgedi.planner.plan.OptimalStrategy;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.plan.Strategies;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import io.edgedi.transport.metrics.Percentiles;
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
 * <p>The machine is shared, so the single-worker baseline is measured again after every planner and
 * speedups divide by the median of all those baseline frames: a slow minute then moves the baseline
 * and the planners alike instead of skewing one ratio. The spread is in the report.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Compare partition planners on an emulated heterogeneous cluster (cgroup CPU quotas, shaped links).")
final class BenchCommand implements Callable<Integer> {
  private static final String SITE = LocalCluster.SITE;
  private static final long FRAME_TIMEOUT_MS = 120_000;

  @Option(
      names = "--scenario",
      required = true,
      description = "Profile: a shipped name (hetero4, homo4, hetero8, pi-cluster) or a JSON file.")
  String scenario;

  @Mixin ModelOptions model;

  @Option(
      names = "--frames",
      defaultValue = "20",
      description = "Frames per planner, sent one at a time (default ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--saturation-frames",
      defaultValue = "-1",
      description =
          "Frames sent back to back per planner for throughput (default: 3 x --frames, at least 60).")
  int saturationFrames;

  @Option(
      names = "--scaling-frames",
      defaultValue = "-1",
      description =
          "Frames per cluster size below N, and per baseline re-measurement (default: half of --frames, at least 5).")
  int scalingFrames;

  @Option(
      names = "--planners",
      defaultValue = "equal,proportional,edgedi,optimal",
      split = ",",
      description = "Planners to compare (default ${DEFAULT-VALUE}).")
  List<String> planners;

  @Option(
      names = "--baseline-planner",
      defaultValue = "optimal",
      description =
          "Planner restricted to one worker for the single-worker runs (default ${DEFAULT-VALUE}).")
  String baselinePlanner;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      description = "Unmeasured frames before each measurement (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--json", description = "Write the report here.")
  Path json;

  @Option(
      names = "--plot",
      description = "Write a PNG plot (speedup and bound against workers) here.")
  Path plot;

  @Mixin EmulationOptions emulationOptions;

  @Option(
      names = "--plan-iterations",
      defaultValue = "100",
      description = "Plans timed per size for planMicros (default ${DEFAULT-VALUE}).")
  int planIterations;

  @Option(
      names = "--original-model",
      defaultValue = "vgg16",
      description =
          "The uncompressed model edgediSpeedup compares with: its one-core time here over the fastest"
              + " device's share is its time alone on that device (default ${DEFAULT-VALUE}).")
  String originalModel;

  /**
   * Payload of the fidelity check's broker round trips: a gate or a partial sum is about this size.
   */
  private static final int PROBE_BYTES = 100;

  /** Timed one-core frames of the reference, before and again after the single-worker runs. */
  private static final int REFERENCE_RUNS = 7;

  private FoldedWeights weights;
  private LocalCluster local;
  private MqttLink cameraLink;
  private int runs;

  /** What one measured run on the cluster gave. */
  private record Run(
      List<Double> latencies,
      int failed,
      FrameDriver.Burst burst,
      Map<String, Double> secondsPerGflop,
      List<Integer> workersUsed,
      List<List<ReduceRound>> reduceRounds,
      List<Double> interleavedBaseline,
      List<Double> predicted,
      List<WorkerStatus> view,
      List<Long> plannerBytes) {
    double p50() {
      return Percentiles.of(latencies, 50);
    }

    /**
     * Share of the measured frames the planner split over more than one worker: a speedup next to a
     * share of 0 is the fastest worker alone on a good run, not partitioning.
     */
    double splitShare() {
      return workersUsed.isEmpty()
          ? 0
          : workersUsed.stream().filter(n -> n > 1).count() / (double) workersUsed.size();
    }

    double meanWorkers() {
      return workersUsed.stream().mapToInt(Integer::intValue).average().orElse(0);
    }
  }

  /**
   * The single-worker runs: each worker alone, the fastest of them, and this machine's one-core
   * reference.
   */
  private record Singles(
      Map<String, Double> p50,
      Map<String, Double> secondsPerGflop,
      Map<String, List<Double>> frames,
      String fastest,
      OneCoreTime.Measured reference) {
    /** Worker ids, fastest first. */
    List<String> bySpeed() {
      List<String> ids = new ArrayList<>(p50.keySet());
      ids.sort(Comparator.comparingDouble(p50::get));
      return ids;
    }
  }

  /**
   * Per planner its runs by cluster size, the burst with every frame split, and the baseline runs
   * between planners.
   */
  private record PlannerRuns(
      Map<String, Map<Integer, Run>> byPlanner,
      Map<String, Double> splitOnly,
      List<Double> baselineFrames,
      List<Double> baselineRuns) {
    Run atN(String planner, int n) {
      return byPlanner.get(planner).get(n);
    }
  }

  /** What every planner's figures are measured against. */
  private record Baseline(double single, double bound, double capacity, List<Double> runs) {}

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
    EmulatedCluster.CpuEmulation emulation = emulationOptions.cpuEmulation(profile);
    weights = model.load();
    Path runDir =
        Path.of(
            "runs",
            "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    int n = profile.machines().size();
    String probeUser = ClusterCredentials.workerId(n + 1);
    Map<String, PartitionStrategy> strategies = new LinkedHashMap<>();
    for (String name : planners) {
      strategies.put(
          name, Strategies.byName(name)); // unknown names fail here, before any worker starts
    }
    PartitionStrategy scaling = Strategies.byName(baselinePlanner);

    BenchReport report;
    // The spare worker account is the broker probe's echo.
    try (LocalCluster l =
        LocalCluster.builder(n)
            .spareWorkerAccounts(1)
            .emulate(profile, !emulationOptions.noNetwork, emulation, runDir.resolve("workers"))
            .start()) {
      local = l;
      EmulatedCluster c = l.emulated();
      try (MqttLink camera = new MqttLink(l.settings("camera", "cam1"))) {
        cameraLink = camera;
        List<String> workerArgs =
            new ArrayList<>(List.of("--site", SITE, "--weights-seed", Long.toString(model.seed)));
        if (model.weights != null) {
          workerArgs.addAll(List.of("--weights", model.weights.toAbsolutePath().toString()));
        } else {
          workerArgs.addAll(List.of("--model", weights.model().name()));
        }
        System.out.println(
            "scenario   "
                + profile.name()
                + ": "
                + n
                + " workers, "
                + BenchMath.round(profile.totalCpu(), 2)
                + " cores in all, model "
                + weights.model().name()
                + ", broker "
                + l.brokerUrl()
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
        run(
            new RestrictedStrategy(Strategies.byName("proportional"), all),
            all,
            Math.max(warmup, 15),
            0,
            0,
            1_800_000);

        Singles singles = measureSingles(all, scaling);
        List<Fidelity.Device> fidelityDevices = new ArrayList<>();
        for (String w : all) {
          fidelityDevices.add(
              Fidelity.device(
                  w, c.deviceOf(w), c.cpuOf(w), singles.p50().get(w), singles.reference()));
        }
        List<Fidelity.RoundTrip> roundTrips = new ArrayList<>();
        if (emulationOptions.probeRoundTrips > 0) {
          BrokerProbe.Accounts probe =
              new BrokerProbe.Accounts(
                  probeUser,
                  l.password(probeUser),
                  "planner",
                  l.password("planner"),
                  "planner-probe");
          for (String w : all) {
            roundTrips.add(
                BrokerProbe.measure(
                    c,
                    w,
                    l.brokerPort(),
                    SITE,
                    probe,
                    PROBE_BYTES,
                    emulationOptions.probeRoundTrips));
          }
        }
        Fidelity.print(System.out, singles.reference(), fidelityDevices, roundTrips);
        OneCoreTime.Measured original =
            weights.model().name().equals(originalModel)
                ? singles.reference()
                : OneCoreTime.of(
                    FoldedWeights.fold(
                        RandomWeights.create(ModelZoo.byName(originalModel), 1), "random-1"),
                    3);
        System.out.printf(
            "original   %s one core here %.1f ms CPU (%.1f ms wall) per frame%n",
            original.model(), original.cpuMillis(), original.wallMillis());

        PlannerRuns runs =
            measurePlanners(strategies, scaling, singles, all, satFrames, scaleFrames);
        // Speeds as measured the same way as the speedup: whole frames per second on one worker
        // alone (the planner's learned seconds per GFLOP are reported beside it).
        Baseline baseline =
            new Baseline(
                Percentiles.of(runs.baselineFrames(), 50),
                BenchMath.bound(singles.p50().values()),
                BenchMath.capacity(singles.p50().values()),
                runs.baselineRuns());
        Map<String, BenchReport.PlannerResult> results = new LinkedHashMap<>();
        Map<String, List<BenchReport.ScalingPoint>> curves = new LinkedHashMap<>();
        int index = 0;
        for (String name : strategies.keySet()) {
          results.put(
              name,
              plannerResult(
                  name, strategies.get(name), runs, index++, singles, baseline, satFrames, n));
          curves.put(
              name,
              scalingPoints(
                  runs.byPlanner().get(name), singles, baseline, results.get(name).speedup(), n));
        }

        String splitPlanner =
            strategies.containsKey("optimal")
                ? "optimal"
                : strategies.keySet().stream()
                    .min(Comparator.comparingDouble(name -> runs.atN(name, n).p50()))
                    .orElseThrow();
        EdgediSpeedup headline =
            EdgediSpeedup.of(
                original,
                c.cpuOf(singles.fastest()),
                singles.fastest(),
                c.deviceOf(singles.fastest()),
                weights.model().name(),
                singles.p50().get(singles.fastest()),
                splitPlanner,
                runs.atN(splitPlanner, n).p50(),
                baseline.bound(),
                BenchMath.bound(c.workerIds().stream().map(w -> 1 / c.cpuOf(w)).toList()));
        System.out.println(headline.line());
        List<String> notes = new ArrayList<>(c.notes());
        report =
            new BenchReport(
                profile.name(),
                profileJson(profile),
                weights.model().name(),
                weights.version(),
                frames,
                c.allThrottled(),
                profile.periodUs(),
                emulation.name().toLowerCase(),
                workers(c.status(), singles),
                baselinePlanner + " restricted to one worker (all rows on it)",
                singles.fastest(),
                BenchMath.round(baseline.single(), 2),
                baseline.runs().stream().map(v -> BenchMath.round(v, 2)).toList(),
                BenchMath.round(baseline.bound(), 3),
                BenchMath.round(BenchMath.bound(singles.secondsPerGflop().values()), 3),
                BenchMath.round(baseline.capacity(), 3),
                results,
                Fidelity.json(singles.reference(), fidelityDevices, roundTrips),
                BenchMath.round(headline.speedup(), 3),
                BenchMath.round(headline.bound(), 3),
                headline.json(),
                new BenchReport.Scaling(scaleFrames, frames, curves),
                planMicros(Strategies.byName("optimal"), weights.model()),
                planMicros(new OptimalStrategy(false), weights.model()),
                OptimalStrategy.REPLAN_DRIFT,
                BenchMath.round(
                    PlanTiming.reusedCutsWorstLoss(
                        weights.model(), n, 6, OptimalStrategy.REPLAN_DRIFT),
                    4),
                notes,
                (System.currentTimeMillis() - began) / 1000);

        if (plot != null) {
          BenchPlot.write(
              plot,
              "EdgeDI-MQ bench: "
                  + profile.name()
                  + ", "
                  + weights.model().name()
                  + " ("
                  + (c.allThrottled()
                      ? "CPU emulation " + emulation.name().toLowerCase()
                      : "NOT all throttled")
                  + ")",
              plotCurves(curves));
        }
      }
    }
    System.out.println(Json.MAPPER.writeValueAsString(report));
    if (json != null) {
      Json.write(json, report);
      System.out.println("json       " + json.toAbsolutePath());
    }
    if (plot != null) {
      System.out.println("plot       " + plot.toAbsolutePath());
    }
    return 0;
  }

  /**
   * Every worker alone, and the one-core reference timed before and after them (the machine is
   * shared: the two bracket what the workers saw).
   */
  private Singles measureSingles(Set<String> all, PartitionStrategy scaling) throws Exception {
    OneCoreTime.Measured refBefore = OneCoreTime.of(weights, REFERENCE_RUNS);
    Map<String, Double> solo = new LinkedHashMap<>();
    Map<String, Double> soloSpg = new LinkedHashMap<>();
    Map<String, List<Double>> soloFrames = new LinkedHashMap<>();
    for (String w : all) {
      Run r =
          run(new RestrictedStrategy(scaling, Set.of(w)), Set.of(w), warmup, frames, 0, 180_000);
      solo.put(w, r.p50());
      soloFrames.put(w, r.latencies());
      soloSpg.put(w, r.secondsPerGflop().getOrDefault(w, 0.0));
      System.out.printf(
          "single     %-9s %-10s p50 %8.1f ms  (%.4f s/GFLOP)%n",
          w, local.emulated().deviceOf(w), r.p50(), soloSpg.get(w));
    }
    String fastest =
        solo.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .min(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .orElseThrow(() -> new IllegalStateException("no worker finished a frame alone"));
    OneCoreTime.Measured reference =
        OneCoreTime.combine(refBefore, OneCoreTime.of(weights, REFERENCE_RUNS));
    return new Singles(solo, soloSpg, soloFrames, fastest, reference);
  }

  /**
   * Per planner: the 2..N fastest workers (at N interleaved with the fastest worker alone, and with
   * the saturation burst), the burst again with every frame split, then the fastest worker alone
   * again.
   */
  private PlannerRuns measurePlanners(
      Map<String, PartitionStrategy> strategies,
      PartitionStrategy scaling,
      Singles singles,
      Set<String> all,
      int satFrames,
      int scaleFrames)
      throws Exception {
    int n = all.size();
    String fastest = singles.fastest();
    List<String> byspeed = singles.bySpeed();
    List<Double> baselineFrames = new ArrayList<>(singles.frames().get(fastest));
    List<Double> baselineRuns = new ArrayList<>(List.of(singles.p50().get(fastest)));
    Map<String, Double> splitOnly = new LinkedHashMap<>();
    Map<String, Map<Integer, Run>> scalingRuns = new LinkedHashMap<>();
    for (Map.Entry<String, PartitionStrategy> e : strategies.entrySet()) {
      Map<Integer, Run> byK = new LinkedHashMap<>();
      for (int k = 2; k <= n; k++) {
        Set<String> subset = new LinkedHashSet<>(byspeed.subList(0, k));
        Run r =
            k == n
                ? run(
                    new Interleaved(e.getValue(), new RestrictedStrategy(scaling, Set.of(fastest))),
                    all,
                    warmup,
                    frames,
                    satFrames,
                    120_000)
                : run(
                    new RestrictedStrategy(e.getValue(), subset),
                    subset,
                    warmup,
                    scaleFrames,
                    0,
                    120_000);
        byK.put(k, r);
        System.out.printf("planner    %-12s %d workers  p50 %8.1f ms%n", e.getKey(), k, r.p50());
      }
      scalingRuns.put(e.getKey(), byK);
      baselineFrames.addAll(byK.get(n).interleavedBaseline());
      if (satFrames > 0) {
        // The same burst with every frame split across all workers: what the worker groups add.
        Run split = run(e.getValue(), all, warmup, 0, satFrames, 120_000, false);
        splitOnly.put(e.getKey(), split.burst().framesPerSecond());
        System.out.printf(
            "planner    %-12s burst without worker groups %.2f frames/s (with: %.2f)%n",
            e.getKey(), split.burst().framesPerSecond(), byK.get(n).burst().framesPerSecond());
      }
      Run base =
          run(
              new RestrictedStrategy(scaling, Set.of(fastest)),
              Set.of(fastest),
              warmup,
              scaleFrames,
              0,
              180_000);
      baselineFrames.addAll(base.latencies());
      baselineRuns.add(base.p50());
      System.out.printf(
          "baseline   %-12s p50 %8.1f ms (again, after %s)%n", fastest, base.p50(), e.getKey());
    }
    return new PlannerRuns(scalingRuns, splitOnly, baselineFrames, baselineRuns);
  }

  /**
   * One planner's figures at N workers; {@code index}: its place among the planners, for the
   * adjacent baseline runs.
   */
  private BenchReport.PlannerResult plannerResult(
      String name,
      PartitionStrategy strategy,
      PlannerRuns runs,
      int index,
      Singles singles,
      Baseline baseline,
      int satFrames,
      int n) {
    Run r = runs.atN(name, n);
    double bound = baseline.bound();
    // The fastest worker's own speed drifts within seconds on a shared machine: the speedup
    // is against the single-worker frames interleaved with this planner's own frames.
    double interleaved = Percentiles.of(r.interleavedBaseline(), 50);
    double speedup = BenchMath.speedup(interleaved, r.p50());
    List<Double> around = baseline.runs();
    double adjacent = (around.get(index) + around.get(Math.min(index + 1, around.size() - 1))) / 2;
    double predicted = Percentiles.of(r.predicted(), 50);
    Double learned = null;
    List<BenchReport.LearnedWorker> learnedWorkers = null;
    List<Map<String, Object>> whatIf = null;
    if (!r.view().isEmpty()) {
      double learnedMean =
          r.view().stream().mapToDouble(WorkerStatus::linkLatencyMillis).average().orElse(1.0);
      learned = BenchMath.round(learnedMean, 3);
      learnedWorkers =
          r.view().stream()
              .map(
                  w ->
                      new BenchReport.LearnedWorker(
                          w.workerId(),
                          BenchMath.round(w.secondsPerGflop(), 4),
                          BenchMath.round(w.overheadMillis(), 2),
                          BenchMath.round(w.linkBytesPerSecond() / 1e6, 2),
                          BenchMath.round(w.linkLatencyMillis(), 3)))
              .toList();
      whatIf =
          LinkWhatIf.predict(
              strategy,
              weights.model(),
              r.view(),
              singles.fastest(),
              java.util.stream.DoubleStream.of(learnedMean, 1.0, 0.25, 0.0).distinct().toArray(),
              new double[] {0, 125e6, 1.25e9},
              true,
              false);
    }
    Map<String, Object> reduces = ReduceStats.summary(r.reduceRounds());
    BenchReport.PlannerResult p =
        new BenchReport.PlannerResult(
            BenchMath.round(r.p50(), 2),
            BenchMath.round(Percentiles.of(r.latencies(), 95), 2),
            BenchMath.round(speedup, 3),
            BenchMath.round(bound, 3),
            BenchMath.round(BenchMath.efficiency(speedup, bound), 3),
            BenchMath.round(interleaved, 2),
            BenchMath.round(BenchMath.speedup(baseline.single(), r.p50()), 3),
            BenchMath.round(adjacent, 2),
            BenchMath.round(BenchMath.speedup(adjacent, r.p50()), 3),
            BenchMath.round(r.splitShare(), 3),
            BenchMath.round(r.meanWorkers(), 2),
            BenchMath.round(predicted, 2),
            BenchMath.round(Math.abs(predicted - r.p50()) / r.p50(), 3),
            reduces,
            plannerBytes(r),
            BenchMath.round(r.burst().framesPerSecond(), 3),
            BenchMath.round(runs.splitOnly().getOrDefault(name, 0.0), 3),
            BenchMath.round(baseline.capacity(), 3),
            r.latencies().size(),
            r.failed(),
            satFrames,
            r.burst().classified(),
            BenchMath.round(r.burst().seconds(), 2),
            planMicros(strategy, weights.model()),
            learned,
            learnedWorkers,
            whatIf);
    System.out.printf(
        "planner    %-12s p50 %8.1f ms  p95 %8.1f ms  speedup %.2f (bound %.2f, efficiency %.2f)  %.2f frames/s (capacity %.2f)  %.0f%% of frames split%n",
        name,
        r.p50(),
        Percentiles.of(r.latencies(), 95),
        speedup,
        bound,
        BenchMath.efficiency(speedup, bound),
        r.burst().framesPerSecond(),
        baseline.capacity(),
        100 * r.splitShare());
    if (whatIf != null && !whatIf.isEmpty()) {
      System.out.printf(
          "what-if    %-12s cost model: speedup %s with the learned links, %s with free links and no per-run overhead%n",
          name,
          whatIf.get(0).get("predictedSpeedup"),
          whatIf.get(whatIf.size() - 1).get("predictedSpeedup"));
    }
    if (reduces.containsKey("roundP50Ms")) {
      System.out.printf(
          "reduces    %-12s %s rounds per split frame, round p50 %s ms of which the slowest band computed %s ms;"
              + " %s ms per split frame beyond computing%n",
          name,
          reduces.get("roundsPerSplitFrame"),
          reduces.get("roundP50Ms"),
          reduces.get("slowestBandComputeP50Ms"),
          reduces.get("overheadPerSplitFrameP50Ms"));
    }
    return p;
  }

  /**
   * The speedup curve of one planner: the point at N uses the interleaved speedup ({@code
   * speedupAtN}), the others the pooled baseline.
   */
  private static List<BenchReport.ScalingPoint> scalingPoints(
      Map<Integer, Run> byK, Singles singles, Baseline baseline, double speedupAtN, int n) {
    List<String> byspeed = singles.bySpeed();
    List<BenchReport.ScalingPoint> rows = new ArrayList<>();
    for (Map.Entry<Integer, Run> k : byK.entrySet()) {
      List<String> subset = byspeed.subList(0, k.getKey());
      double sp =
          k.getKey() == n ? speedupAtN : BenchMath.speedup(baseline.single(), k.getValue().p50());
      double bk = BenchMath.bound(subset.stream().map(singles.p50()::get).toList());
      rows.add(
          new BenchReport.ScalingPoint(
              k.getKey(),
              List.copyOf(subset),
              BenchMath.round(k.getValue().p50(), 2),
              BenchMath.round(sp, 3),
              BenchMath.round(bk, 3),
              BenchMath.round(BenchMath.efficiency(sp, bk), 3),
              BenchMath.round(k.getValue().splitShare(), 3)));
    }
    return rows;
  }

  /** The plot's points: (1, 1) for one worker, then the report's rows. */
  private static Map<String, List<BenchPlot.Point>> plotCurves(
      Map<String, List<BenchReport.ScalingPoint>> curves) {
    Map<String, List<BenchPlot.Point>> out = new LinkedHashMap<>();
    curves.forEach(
        (name, rows) -> {
          List<BenchPlot.Point> points = new ArrayList<>(List.of(new BenchPlot.Point(1, 1.0, 1.0)));
          rows.forEach(
              row -> points.add(new BenchPlot.Point(row.workers(), row.speedup(), row.bound())));
          out.put(name, points);
        });
    return out;
  }

  /** The cluster's workers as it reports them, with their single-worker figures. */
  private static List<Map<String, Object>> workers(
      List<Map<String, Object>> status, Singles singles) {
    for (Map<String, Object> w : status) {
      String id = (String) w.get("worker");
      w.put("singleWorkerLatencyP50Ms", BenchMath.round(singles.p50().get(id), 2));
      w.put("secondsPerGflop", BenchMath.round(singles.secondsPerGflop().get(id), 5));
    }
    return status;
  }

  /**
   * Bytes through the planner per frame (tasks out, results in), for the split frames and all,
   * against the budget of twice the input frame plus the head's input (the trunk output map).
   */
  private BenchReport.PlannerBytes plannerBytes(Run r) {
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
    return new BenchReport.PlannerBytes(
        split.isEmpty() ? null : BenchMath.round(Percentiles.of(split, 50), 0),
        all.isEmpty() ? null : BenchMath.round(Percentiles.of(all, 50), 0),
        frameBytes,
        headBytes,
        2 * (frameBytes + headBytes));
  }

  /**
   * A fresh planner with the strategy: waits until the given workers are usable, sends the warm-up
   * frames, the sequential frames and then the burst; returns what was measured and the workers'
   * secondsPerGflop right after.
   */
  private Run run(
      PartitionStrategy strategy,
      Set<String> needed,
      int warm,
      int sequential,
      int burst,
      long startTimeoutMillis)
      throws Exception {
    return run(strategy, needed, warm, sequential, burst, startTimeoutMillis, true);
  }

  private Run run(
      PartitionStrategy strategy,
      Set<String> needed,
      int warm,
      int sequential,
      int burst,
      long startTimeoutMillis,
      boolean queueGroups)
      throws Exception {
    String tag = "bench-" + Long.toString(System.currentTimeMillis(), 36) + "-" + (++runs);
    FrameDriver driver =
        new FrameDriver(
            cameraLink,
            new Topics(SITE),
            weights.model().inputShape().height(),
            weights.model().inputShape().width(),
            runs,
            tag);
    try (Planner planner =
        local.startPlanner(
            "planner",
            weights,
            strategy,
            PlannerOptions.defaults("planner", SITE).withQueueGroups(queueGroups),
            driver)) {
      local.awaitWorkers(planner, needed, startTimeoutMillis);
      Interleaved turns = strategy instanceof Interleaved i ? i : null;
      // Interleaved: the baseline takes every second frame (odd places), the planner the others.
      java.util.function.IntConsumer turn =
          turns == null ? i -> {} : i -> turns.baselineTurn(i % 2 == 1);
      int arms = turns == null ? 1 : 2;
      if (warm > 0) {
        driver.sequential(warm * arms, FRAME_TIMEOUT_MS, turn);
      }
      FrameDriver.Sequential all = driver.sequential(sequential * arms, FRAME_TIMEOUT_MS, turn);
      FrameDriver.Sequential seq = turns == null ? all : all.arm(0);
      // The speeds behind the measured frames, before the burst (a saturated cluster learns slower
      // ones).
      List<WorkerStatus> view = planner.planningView();
      List<Double> baseline = turns == null ? List.of() : all.arm(1).latencies();
      if (turns != null) {
        turns.baselineTurn(false);
      }
      FrameDriver.Burst b =
          burst > 0 ? driver.burst(burst, FRAME_TIMEOUT_MS * 2) : new FrameDriver.Burst(0, 0, 0, 0);
      Map<String, Double> spg = new LinkedHashMap<>();
      for (WorkerStatus w : planner.cluster().usable(System.currentTimeMillis())) {
        spg.put(w.workerId(), w.secondsPerGflop());
      }
      return new Run(
          seq.latencies(),
          seq.failed(),
          b,
          spg,
          seq.workersUsed(),
          seq.reduceRounds(),
          baseline,
          seq.predicted(),
          view,
          seq.plannerBytes());
    }
  }

  private static BenchReport.Profile profileJson(DeviceProfile p) {
    return new BenchReport.Profile(
        p.name(),
        p.description(),
        p.machines().stream()
            .map(
                d ->
                    new BenchReport.Device(
                        d.name(),
                        d.kind(),
                        d.cpu(),
                        d.link() == null ? null : d.link().mbit(),
                        d.link() == null ? null : d.link().latency()))
            .toList(),
        BenchMath.round(BenchMath.bound(p.machines().stream().map(d -> 1 / d.cpu()).toList()), 3));
  }

  /** Median CPU microseconds per plan at 8, 64 and 1000 synthetic workers. */
  private Map<String, Double> planMicros(
      PartitionStrategy strategy, io.edgedi.inference.model.ModelSpec m) {
    Map<String, Double> micros = new LinkedHashMap<>();
    for (int size : new int[] {8, 64, 1000}) {
      int iterations = size >= 1000 ? Math.max(1, planIterations / 10) : planIterations;
      micros.put(
          Integer.toString(size),
          BenchMath.round(PlanTiming.microsPerPlan(strategy, m, size, iterations), 1));
    }
    return micros;
  }
}
