package io.edgedi.cluster;

import io.edgedi.broker.embedded.BrokerConfig;
import io.edgedi.broker.embedded.EmbeddedBroker;
import io.edgedi.broker.embedded.SelfSignedCertificate;
import io.edgedi.broker.mosquitto.MosquittoProcess;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.window.WindowHead;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerListener;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.transport.MqttSettings;
import io.edgedi.worker.WorkerAgent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A whole site on this machine: fresh credentials, a broker (embedded HiveMQ, or a Mosquitto
 * process), and the planners and workers the caller starts on it: workers in this JVM, one JVM
 * each, or one JVM each shaped like the devices of a {@link DeviceProfile} ({@link
 * EmulatedCluster}). Closing it stops the workers before their broker.
 */
public final class LocalCluster implements AutoCloseable {
  /** The site of every local cluster. */
  public static final String SITE = "plant1";

  /** The largest tile an in-process worker accepts, as the worker command's default. */
  private final ClusterCredentials credentials;

  private final ClusterProcesses processes = new ClusterProcesses();
  private final List<WorkerAgent> inProcess = new ArrayList<>();
  private final EmulatedCluster emulated;
  private final boolean tls;
  private EmbeddedBroker broker;
  private MosquittoProcess mosquitto;

  private LocalCluster(Builder b) throws Exception {
    credentials = new ClusterCredentials(b.workers + b.spareWorkerAccounts);
    boolean netns = false;
    if (b.profile != null) {
      emulated =
          new EmulatedCluster(b.profile, b.shapeNetwork, b.cpuEmulation, b.emulationDir, processes);
      netns = emulated.prepare(ClusterCredentials::workerId);
    } else {
      emulated = null;
    }
    tls = b.tlsDir != null;
    try {
      if (b.mosquittoDir != null) {
        mosquitto =
            MosquittoProcess.start(
                b.mosquittoDir, credentials.usersFile(), credentials.passwords());
        return;
      }
      // Workers in their own network namespaces reach the broker over their veth links.
      EmbeddedBroker.Builder setup =
          EmbeddedBroker.builder()
              .port(0)
              .bindAddress(netns ? "0.0.0.0" : "127.0.0.1")
              .users(credentials.usersFile());
      if (b.brokerHome != null) {
        setup.persistence(BrokerConfig.Persistence.FILE).homeFolder(b.brokerHome.toAbsolutePath());
      }
      if (tls) {
        SelfSignedCertificate cert = SelfSignedCertificate.create(b.tlsDir);
        setup.tls(0, cert.keyStore(), cert.password());
        String trustStore = cert.trustStore().toAbsolutePath().toString();
        System.setProperty("edgedi.truststore", trustStore);
        System.setProperty("edgedi.truststore.password", cert.password());
        processes.putEnvironment("EDGEDI_TRUSTSTORE", trustStore);
        processes.putEnvironment("EDGEDI_TRUSTSTORE_PASSWORD", cert.password());
      }
      broker = setup.start();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /**
   * A cluster with accounts for {@code workers} workers (worker-1..N), a planner, a camera and an
   * MES.
   */
  public static Builder builder(int workers) {
    return new Builder(workers);
  }

  /** What the cluster's broker and workers are. */
  public static final class Builder {
    private final int workers;
    private int spareWorkerAccounts;
    private Path brokerHome;
    private Path tlsDir;
    private Path mosquittoDir;
    private DeviceProfile profile;
    private boolean shapeNetwork;
    private EmulatedCluster.CpuEmulation cpuEmulation;
    private Path emulationDir;

    private Builder(int workers) {
      this.workers = workers;
    }

    /**
     * Worker accounts beyond the workers, worker-(N+1) on, for clients that act as one (a probe's
     * echo).
     */
    public Builder spareWorkerAccounts(int n) {
      spareWorkerAccounts = n;
      return this;
    }

    /**
     * A broker that keeps sessions and queued messages in {@code home} across {@link
     * #restartBroker()}.
     */
    public Builder persistentBroker(Path home) {
      brokerHome = home;
      return this;
    }

    /** A self-signed certificate in {@code dir}; every client connects over the TLS listener. */
    public Builder tls(Path dir) {
      tlsDir = dir;
      return this;
    }

    /** Mosquitto 2 instead of the embedded HiveMQ, its files in {@code dir}. */
    public Builder mosquitto(Path dir) {
      mosquittoDir = dir;
      return this;
    }

    /**
     * Workers shaped like the devices of {@code profile} (one per device: cgroups, and network
     * namespaces unless {@code shapeNetwork} is false), their files in {@code dir}; the builder's
     * worker count must be the profile's.
     */
    public Builder emulate(
        DeviceProfile profile,
        boolean shapeNetwork,
        EmulatedCluster.CpuEmulation cpuEmulation,
        Path dir) {
      if (profile.machines().size() != workers) {
        throw new IllegalArgumentException(
            profile.name() + " has " + profile.machines().size() + " devices, not " + workers);
      }
      this.profile = profile;
      this.shapeNetwork = shapeNetwork;
      this.cpuEmulation = cpuEmulation;
      this.emulationDir = dir;
      return this;
    }

    public LocalCluster start() throws Exception {
      return new LocalCluster(this);
    }
  }

  public ClusterCredentials credentials() {
    return credentials;
  }

  public char[] password(String user) {
    return credentials.password(user);
  }

  /**
   * The broker's address for clients on this machine (its TLS listener when the cluster runs TLS).
   */
  public String brokerUrl() {
    return mosquitto != null ? mosquitto.url() : tls ? broker.tlsUrl() : broker.url();
  }

  /** The broker's plain listener port. */
  public int brokerPort() {
    return mosquitto != null ? mosquitto.port() : broker.port();
  }

  /** The Mosquitto process, or null on the embedded broker. */
  public MosquittoProcess mosquitto() {
    return mosquitto;
  }

  /** Stops the embedded broker and starts a new one on the same port and data folder. */
  public synchronized void restartBroker() {
    EmbeddedBroker.Builder again = broker.toBuilder();
    broker.close();
    broker = again.start();
  }

  /** Connection settings of {@code user} under client id {@code clientId}. */
  public MqttSettings settings(String user, String clientId) {
    return new MqttSettings(brokerUrl(), clientId, user, credentials.password(user));
  }

  public ClusterProcesses processes() {
    return processes;
  }

  /** The device emulation, or null when the workers are not emulated devices. */
  public EmulatedCluster emulated() {
    return emulated;
  }

  /** Worker {@code id} in this JVM. */
  public WorkerAgent startWorker(String id, FoldedWeights weights) throws Exception {
    WorkerAgent w = new WorkerAgent(settings(id, id), SITE, weights);
    w.start();
    synchronized (inProcess) {
      inProcess.add(w);
    }
    return w;
  }

  /**
   * Stops in-process worker {@code id} (it leaves the cluster as a worker that shuts down does).
   */
  public void stopWorker(String id) {
    synchronized (inProcess) {
      inProcess.removeIf(
          w -> {
            if (w.workerId().equals(id)) {
              w.close();
              return true;
            }
            return false;
          });
    }
  }

  /** Worker {@code id} in a JVM of its own ({@code edgedi worker}), its output in {@code log}. */
  public void startWorkerProcess(String id, Path log, List<String> workerArgs) throws IOException {
    List<String> args =
        new ArrayList<>(List.of("worker", "--broker", brokerUrl(), "--user", id, "--site", SITE));
    args.addAll(workerArgs);
    processes.start(
        id, JvmCommand.edgedi(JvmCommand.FIXED_HEAP, args), credentials.password(id), log);
  }

  /** {@code edgedi <args>} as process {@code id} under {@code user}'s account (e.g. a planner). */
  public void startProcess(String id, String user, Path log, List<String> args) throws IOException {
    processes.start(
        id, JvmCommand.edgedi(JvmCommand.FIXED_HEAP, args), credentials.password(user), log);
  }

  /**
   * The emulated devices' workers ({@code edgedi worker ...workerArgs}), each in its cgroup and
   * namespace.
   */
  public void startEmulatedWorkers(List<String> workerArgs) throws IOException {
    emulated.start(brokerPort(), credentials::password, workerArgs);
  }

  /**
   * A started planner with client id {@code clientId} under the planner account (id planner or
   * planner-*), {@code listeners} told of every frame from the start.
   */
  public Planner startPlanner(
      String clientId,
      FoldedWeights weights,
      PartitionStrategy strategy,
      PlannerOptions options,
      PlannerListener... listeners)
      throws Exception {
    return startPlanner(clientId, weights, strategy, options, (WindowHead) null, listeners);
  }

  /**
   * The same, classifying the windows of larger frames with {@code windowHead} (null: the model's
   * own head).
   */
  public Planner startPlanner(
      String clientId,
      FoldedWeights weights,
      PartitionStrategy strategy,
      PlannerOptions options,
      WindowHead windowHead,
      PlannerListener... listeners)
      throws Exception {
    Planner p = new Planner(settings("planner", clientId), weights, strategy, options, windowHead);
    for (PlannerListener l : listeners) {
      p.addListener(l);
    }
    try {
      p.start();
    } catch (Exception e) {
      p.close();
      throw e;
    }
    return p;
  }

  /**
   * Waits until {@code planner} can plan on {@code count} workers; fails at once if a worker
   * process died.
   */
  public void awaitWorkers(Planner planner, int count, long timeoutMillis) throws Exception {
    awaitUsable(planner, ids -> ids.size() >= count, timeoutMillis, count + " workers");
  }

  /**
   * Waits until {@code planner} can plan on every one of {@code ids}; fails at once if a worker
   * process died.
   */
  public void awaitWorkers(Planner planner, Collection<String> ids, long timeoutMillis)
      throws Exception {
    awaitUsable(planner, usable -> usable.containsAll(ids), timeoutMillis, "workers " + ids);
  }

  private void awaitUsable(
      Planner planner, Predicate<Set<String>> enough, long timeoutMillis, String wanted)
      throws Exception {
    Await.orFail(
        () -> enough.test(usable(planner)),
        timeoutMillis,
        () ->
            wanted + " not all usable in " + timeoutMillis + " ms; usable: " + usableNow(planner));
  }

  /** The workers {@code planner} can plan on now; throws if a worker process has died. */
  private Set<String> usable(Planner planner) throws IOException {
    String dead = processes.deadProcess();
    if (dead != null) {
      throw new IllegalStateException("a worker died: " + dead);
    }
    return usableNow(planner);
  }

  private static Set<String> usableNow(Planner planner) {
    Set<String> ids = new LinkedHashSet<>();
    for (WorkerStatus w : planner.cluster().usable(System.currentTimeMillis())) {
      ids.add(w.workerId());
    }
    return ids;
  }

  /** The first component process that died, with the end of its log, or null if all live. */
  public String deadProcess() throws IOException {
    return processes.deadProcess();
  }

  @Override
  public void close() {
    synchronized (inProcess) {
      inProcess.forEach(WorkerAgent::close);
      inProcess.clear();
    }
    if (emulated != null) {
      emulated.close();
    } else {
      processes.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (mosquitto != null) {
      mosquitto.close();
    }
  }
}
