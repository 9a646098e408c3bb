package io.edgedi.cli;

import io.edgedi.cli.emulate.BrokerProbe;
import io.edgedi.cli.emulate.Fidelity;
import io.edgedi.cli.emulate.OneCoreTime;
import io.edgedi.cli.emulate.SingleWorkerFrames;
import io.edgedi.cluster.ClusterCredentials;
import io.edgedi.cluster.DeviceProfile;
import io.edgedi.cluster.EmulatedCluster;
import io.edgedi.cluster.LocalCluster;
import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.metrics.Percentiles;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * An emulated heterogeneous cluster on this machine: one embedded broker, one worker JVM per device
 * of a profile (CPU quota by cgroup, link by network namespace + tc), and a planner; runs until
 * Ctrl-C (or {@code --duration}) and then removes every cgroup and namespace it made.
 */
@Command(
    name = "emulate",
    mixinStandardHelpOptions = true,
    description =
        "Run worker JVMs shaped like a device profile (cgroup CPU quotas, rate-limited links) against one broker.")
final class EmulateCommand implements Callable<Integer> {
  private static final String SITE = LocalCluster.SITE;

  @Option(
      names = "--profile",
      required = true,
      description =
          "A shipped profile (hetero4, homo4, hetero8, pi-cluster) or a JSON profile file.")
  String profile;

  @Mixin ModelOptions model;

  @Option(
      names = "--planner",
      defaultValue = "proportional",
      description =
          "Planner strategy run in this process (default ${DEFAULT-VALUE}; 'none' = no planner).")
  String planner;

  @Mixin EmulationOptions emulationOptions;

  @Option(
      names = "--duration",
      defaultValue = "0",
      description = "Seconds to run, 0 = until Ctrl-C (default ${DEFAULT-VALUE}).")
  int duration;

  @Option(
      names = "--json",
      description =
          "Write the cluster's status (per worker: throttled, quota, link) here once it is up.")
  Path json;

  @Option(
      names = "--fidelity-frames",
      defaultValue = "5",
      description =
          "Frames per worker alone for the fidelity check printed before serving (default ${DEFAULT-VALUE};"
              + " 0 = no check).")
  int fidelityFrames;

  @Override
  public Integer call() throws Exception {
    TfRuntime.useThreads(
        1); // the fidelity check's one-core reference runs here, as the workers run: one TF thread
    DeviceProfile p = DeviceProfile.load(profile);
    FoldedWeights weights = model.load();
    int n = p.machines().size();
    Path runDir =
        Path.of(
            "runs",
            "emulate-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    // The spare worker account is the broker probe's echo.
    try (LocalCluster local =
        LocalCluster.builder(n)
            .spareWorkerAccounts(1)
            .emulate(p, !emulationOptions.noNetwork, emulationOptions.cpuEmulation(p), runDir)
            .start()) {
      EmulatedCluster cluster = local.emulated();
      List<String> workerArgs =
          new ArrayList<>(List.of("--site", SITE, "--weights-seed", Long.toString(model.seed)));
      if (model.weights != null) {
        workerArgs.addAll(List.of("--weights", model.weights.toAbsolutePath().toString()));
      } else {
        workerArgs.addAll(List.of("--model", weights.model().name()));
      }
      System.out.println("profile    " + p.name() + ": " + p.description());
      System.out.println(
          "broker     "
              + local.brokerUrl()
              + (cluster.anyNetns() ? "  (bound to 0.0.0.0 for the workers' veth links)" : ""));
      System.out.println(
          "camera     user camera, password "
              + new String(local.password("camera"))
              + "  (e.g. EDGEDI_PASSWORD=... ./edgedi camera --broker "
              + local.brokerUrl()
              + " --user camera --rate 2)");
      System.out.println("MES login  user mes, password " + new String(local.password("mes")));
      System.out.println("logs       " + runDir.toAbsolutePath());
      local.startEmulatedWorkers(workerArgs);
      System.out.println(
          "workers    "
              + n
              + " ("
              + (cluster.allThrottled() ? "all throttled" : "NOT all throttled")
              + ")");
      cluster.describe(System.out);
      Map<String, Object> fidelity = fidelityFrames > 0 ? fidelity(local, weights, n) : null;
      Planner running = null;
      if (!planner.equals("none")) {
        running =
            local.startPlanner(
                "planner",
                weights,
                io.edgedi.planner.plan.Strategies.byName(planner),
                PlannerOptions.defaults("planner", SITE));
      }
      try {
        if (running != null) {
          local.awaitWorkers(running, n, 600_000);
          System.out.println(
              "online     all " + n + " workers; planner " + planner + " waiting for frames");
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("profile", p.name());
        status.put("broker", local.brokerUrl());
        status.put("throttled", cluster.allThrottled());
        status.put("cpuEmulation", emulationOptions.cpuEmulation(p).name().toLowerCase());
        status.put("workers", cluster.status());
        if (fidelity != null) {
          status.put("fidelity", fidelity);
        }
        status.put("notes", cluster.notes());
        if (json != null) {
          Json.write(json, status);
          System.out.println("status     " + json.toAbsolutePath());
        }
        System.out.println(
            duration > 0
                ? "running for " + duration + " s"
                : "running; Ctrl-C to stop (cgroups and namespaces are removed on exit)");
        long end = duration > 0 ? System.currentTimeMillis() + duration * 1000L : Long.MAX_VALUE;
        while (System.currentTimeMillis() < end) {
          String dead = cluster.deadWorker();
          if (dead != null) {
            System.err.println("a worker died: " + dead);
            return 1;
          }
          Thread.sleep(500);
        }
      } finally {
        if (running != null) {
          running.close();
        }
      }
    }
    return 0;
  }

  /**
   * Each device alone on a few frames against its calibrated time, and the broker round trip over
   * each link.
   */
  private Map<String, Object> fidelity(LocalCluster local, FoldedWeights weights, int n)
      throws Exception {
    EmulatedCluster cluster = local.emulated();
    System.out.println(
        "fidelity   " + fidelityFrames + " frames on each worker alone (they calibrate first)...");
    List<Fidelity.Device> devices = new ArrayList<>();
    OneCoreTime.Measured reference;
    try (MqttLink camera = new MqttLink(local.settings("camera", "cam-fidelity"))) {
      camera.connect(null, true);
      Map<String, Double> alone = new LinkedHashMap<>();
      long seed = 1;
      // Only once every worker is ready: the others warm their graphs at full speed meanwhile.
      for (String w : cluster.workerIds()) {
        SingleWorkerFrames.measure(local, camera, weights, w, 0, 0, 0);
      }
      for (String w : cluster.workerIds()) {
        alone.put(
            w,
            Percentiles.of(
                SingleWorkerFrames.measure(local, camera, weights, w, 2, fidelityFrames, seed++),
                50));
      }
      reference = OneCoreTime.of(weights, 7);
      for (String w : cluster.workerIds()) {
        devices.add(
            Fidelity.device(w, cluster.deviceOf(w), cluster.cpuOf(w), alone.get(w), reference));
      }
    }
    String probeUser = ClusterCredentials.workerId(n + 1);
    BrokerProbe.Accounts probe =
        new BrokerProbe.Accounts(
            probeUser,
            local.password(probeUser),
            "planner",
            local.password("planner"),
            "planner-probe");
    List<Fidelity.RoundTrip> trips = new ArrayList<>();
    if (emulationOptions.probeRoundTrips > 0) {
      for (String w : cluster.workerIds()) {
        trips.add(
            BrokerProbe.measure(
                cluster,
                w,
                local.brokerPort(),
                SITE,
                probe,
                100,
                emulationOptions.probeRoundTrips));
      }
    }
    Fidelity.print(System.out, reference, devices, trips);
    return Fidelity.json(reference, devices, trips);
  }
}
