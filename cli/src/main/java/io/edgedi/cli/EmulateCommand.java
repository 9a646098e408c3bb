package io.edgedi.cli;

import io.edgedi.transport.metrics.Percentiles;
import io.edgedi.broker.embedded.EmbeddedBroker;
import io.edgedi.cli.demo.DemoCredentials;
import io.edgedi.cli.emulate.BenchMath;
import io.edgedi.cli.emulate.BrokerProbe;
import io.edgedi.cli.emulate.DeviceProfile;
import io.edgedi.cli.emulate.EmulatedCluster;
import io.edgedi.cli.emulate.Fidelity;
import io.edgedi.cli.emulate.OneCoreTime;
import io.edgedi.cli.emulate.SingleWorkerFrames;
import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.MqttSettings;
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
 * An emulated heterogeneous cluster on this machine: one embedded broker, one worker JVM per
 * device of a profile (CPU quota by cgroup, link by network namespace + tc), and a planner; runs
 * until Ctrl-C (or {@code --duration}) and then removes every cgroup and namespace it made.
 */
@Command(name = "emulate", mixinStandardHelpOptions = true,
    description = "Run worker JVMs shaped like a device profile (cgroup CPU quotas, rate-limited links) against one broker.")
final class EmulateCommand implements Callable<Integer> {
  private static final String SITE = "plant1";

  @Option(names = "--profile", required = true,
      description = "A shipped profile (hetero4, homo4, hetero8, pi-cluster) or a JSON profile file.")
  String profile;

  @Mixin ModelOptions model;

  @Option(names = "--planner", defaultValue = "proportional",
      description = "Planner strategy run in this process (default ${DEFAULT-VALUE}; 'none' = no planner).")
  String planner;

  @Mixin EmulationOptions emulationOptions;

  @Option(names = "--duration", defaultValue = "0", description = "Seconds to run, 0 = until Ctrl-C (default ${DEFAULT-VALUE}).")
  int duration;

  @Option(names = "--json", description = "Write the cluster's status (per worker: throttled, quota, link) here once it is up.")
  Path json;

  @Option(names = "--fidelity-frames", defaultValue = "5",
      description = "Frames per worker alone for the fidelity check printed before serving (default ${DEFAULT-VALUE};"
          + " 0 = no check).")
  int fidelityFrames;

  @Override
  public Integer call() throws Exception {
    TfRuntime.useThreads(1); // the fidelity check's one-core reference runs here, as the workers run: one TF thread
    DeviceProfile p = DeviceProfile.load(profile);
    FoldedWeights weights = model.load();
    int n = p.machines().size();
    DemoCredentials credentials = new DemoCredentials(n + 1); // the last worker account is the broker probe's echo
    Path runDir = Path.of("runs", "emulate-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    try (EmulatedCluster cluster = new EmulatedCluster(p, !emulationOptions.noNetwork,
        emulationOptions.cpuEmulation(p), runDir)) {
      boolean netns = cluster.prepare(DemoCredentials::workerId);
      try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).bindAddress(netns ? "0.0.0.0" : "127.0.0.1")
          .users(credentials.usersFile()).start();
           AutoCloseable workersFirst = cluster::close) { // stop the workers before their broker goes
        List<String> workerArgs = new ArrayList<>(List.of("--site", SITE, "--weights-seed", Long.toString(model.seed)));
        if (model.weights != null) {
          workerArgs.addAll(List.of("--weights", model.weights.toAbsolutePath().toString()));
        } else {
          workerArgs.addAll(List.of("--model", weights.model().name()));
        }
        System.out.println("profile    " + p.name() + ": " + p.description());
        System.out.println("broker     " + broker.url() + (netns ? "  (bound to 0.0.0.0 for the workers' veth links)" : ""));
        System.out.println("camera     user camera, password " + new String(credentials.password("camera"))
            + "  (e.g. EDGEDI_PASSWORD=... ./edgedi camera --broker " + broker.url() + " --user camera --rate 2)");
        System.out.println("MES login  user mes, password " + new String(credentials.password("mes")));
        System.out.println("logs       " + runDir.toAbsolutePath());
        cluster.start(broker.port(), credentials::password, workerArgs);
        System.out.println("workers    " + n + " (" + (cluster.allThrottled() ? "all throttled" : "NOT all throttled") + ")");
        cluster.describe(System.out);
        Map<String, Object> fidelity = fidelityFrames > 0
            ? fidelity(cluster, broker, credentials, weights, n) : null;
        Planner running = null;
        if (!planner.equals("none")) {
          running = new Planner(new MqttSettings(broker.url(), "planner", "planner", credentials.password("planner")),
              weights, io.edgedi.planner.plan.Strategies.byName(planner), PlannerOptions.defaults("planner", SITE));
          running.start();
        }
        try {
          long deadline = System.currentTimeMillis() + 600_000;
          while (running != null && running.cluster().usable(System.currentTimeMillis()).size() < n) {
            String dead = cluster.deadWorker();
            if (dead != null) {
              throw new IllegalStateException("a worker died: " + dead);
            }
            if (System.currentTimeMillis() > deadline) {
              throw new IllegalStateException("not all workers came online");
            }
            Thread.sleep(200);
          }
          if (running != null) {
            System.out.println("online     all " + n + " workers; planner " + planner + " waiting for frames");
          }
          Map<String, Object> status = new LinkedHashMap<>();
          status.put("profile", p.name());
          status.put("broker", broker.url());
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
          System.out.println(duration > 0 ? "running for " + duration + " s" : "running; Ctrl-C to stop (cgroups and namespaces are removed on exit)");
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
    }
    return 0;
  }

  /** Each device alone on a few frames against its calibrated time, and the broker round trip over each link. */
  private Map<String, Object> fidelity(EmulatedCluster cluster, EmbeddedBroker broker, DemoCredentials credentials,
                                       FoldedWeights weights, int n) throws Exception {
    System.out.println("fidelity   " + fidelityFrames + " frames on each worker alone (they calibrate first)...");
    List<Fidelity.Device> devices = new ArrayList<>();
    OneCoreTime.Measured reference;
    try (MqttLink camera = new MqttLink(new MqttSettings(broker.url(), "cam-fidelity", "camera",
        credentials.password("camera")))) {
      camera.connect(null, true);
      MqttSettings plannerSide = new MqttSettings(broker.url(), "planner", "planner", credentials.password("planner"));
      Map<String, Double> alone = new LinkedHashMap<>();
      long seed = 1;
      // Only once every worker is ready: the others warm their graphs at full speed meanwhile.
      for (String w : cluster.workerIds()) {
        SingleWorkerFrames.measure(plannerSide, camera, weights, SITE, w, 0, 0, 0);
      }
      for (String w : cluster.workerIds()) {
        alone.put(w, Percentiles.of(SingleWorkerFrames.measure(plannerSide, camera, weights, SITE, w, 2,
            fidelityFrames, seed++), 50));
      }
      reference = OneCoreTime.of(weights, 7);
      for (String w : cluster.workerIds()) {
        devices.add(Fidelity.device(w, cluster.deviceOf(w), cluster.cpuOf(w), alone.get(w), reference));
      }
    }
    String probeUser = DemoCredentials.workerId(n + 1);
    BrokerProbe.Accounts probe = new BrokerProbe.Accounts(probeUser, credentials.password(probeUser), "planner",
        credentials.password("planner"), "planner-probe");
    List<Fidelity.RoundTrip> trips = new ArrayList<>();
    if (emulationOptions.probeRoundTrips > 0) {
      for (String w : cluster.workerIds()) {
        trips.add(BrokerProbe.measure(cluster, w, broker.port(), SITE, probe, 100, emulationOptions.probeRoundTrips));
      }
    }
    Fidelity.print(System.out, reference, devices, trips);
    return Fidelity.json(reference, devices, trips);
  }
}
