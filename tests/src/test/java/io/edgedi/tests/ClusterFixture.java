package io.edgedi.tests;

import io.edgedi.cluster.ClusterCredentials;
import io.edgedi.cluster.LocalCluster;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.plan.Strategies;
import io.edgedi.transport.MqttSettings;
import io.edgedi.worker.WorkerAgent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A {@link LocalCluster} with a planner and N workers for the end-to-end and fault tests: workers
 * in this JVM, or as separate JVMs ({@code edgedi worker}, random weights of the same seed) when
 * the test needs to kill or freeze them. Remembers every planner it started, so that a test can
 * count what all of them published.
 */
final class ClusterFixture implements AutoCloseable {
  static final String SITE = LocalCluster.SITE;
  final LocalCluster local;
  Planner planner;
  final List<WorkerAgent> workers = new ArrayList<>();
  private final List<Planner> planners = new ArrayList<>();
  private final FoldedWeights weights;
  private final Path stateDir;
  private final boolean queueGroups;
  private final UnaryOperator<PlannerOptions> tune;
  private static final Supplier<PartitionStrategy> DEFAULT_STRATEGY =
      () -> Strategies.byName(Strategies.DEFAULT);
  private final Supplier<PartitionStrategy> strategy;

  /** Workers in this JVM, in-memory broker. */
  ClusterFixture(FoldedWeights weights, int workerCount) throws Exception {
    this(weights, workerCount, false, null, true, null, UnaryOperator.identity(), DEFAULT_STRATEGY);
  }

  /**
   * Workers as JVMs of their own, in-memory broker, the planner's options changed by {@code tune}.
   */
  static ClusterFixture workerProcesses(
      FoldedWeights weights, int workerCount, UnaryOperator<PlannerOptions> tune) throws Exception {
    return new ClusterFixture(weights, workerCount, true, null, true, null, tune, DEFAULT_STRATEGY);
  }

  /** The same, each of its planners planning with a strategy from {@code strategy}. */
  static ClusterFixture workerProcesses(
      FoldedWeights weights,
      int workerCount,
      UnaryOperator<PlannerOptions> tune,
      Supplier<PartitionStrategy> strategy)
      throws Exception {
    return new ClusterFixture(weights, workerCount, true, null, true, null, tune, strategy);
  }

  /**
   * Workers in this JVM, on a Mosquitto 2 process started with its files in {@code mosquittoDir}.
   */
  static ClusterFixture onMosquitto(FoldedWeights weights, int workerCount, Path mosquittoDir)
      throws Exception {
    return new ClusterFixture(
        weights,
        workerCount,
        false,
        null,
        true,
        mosquittoDir,
        UnaryOperator.identity(),
        DEFAULT_STRATEGY);
  }

  /** Workers in this JVM, in-memory broker; queued frames may (or never) run on worker groups. */
  static ClusterFixture inMemory(FoldedWeights weights, int workerCount, boolean queueGroups)
      throws Exception {
    return new ClusterFixture(
        weights,
        workerCount,
        false,
        null,
        queueGroups,
        null,
        UnaryOperator.identity(),
        DEFAULT_STRATEGY);
  }

  ClusterFixture(FoldedWeights weights, int workerCount, boolean workerProcesses, Path stateDir)
      throws Exception {
    this(
        weights,
        workerCount,
        workerProcesses,
        stateDir,
        true,
        null,
        UnaryOperator.identity(),
        DEFAULT_STRATEGY);
  }

  /**
   * @param workerProcesses run each worker in its own JVM (random weights of the same seed)
   * @param stateDir if set: file-persistent broker and planner journal under it (restart tests)
   * @param mosquittoDir if set: Mosquitto instead of the embedded HiveMQ, its files in this folder
   */
  private ClusterFixture(
      FoldedWeights weights,
      int workerCount,
      boolean workerProcesses,
      Path stateDir,
      boolean queueGroups,
      Path mosquittoDir,
      UnaryOperator<PlannerOptions> tune,
      Supplier<PartitionStrategy> strategy)
      throws Exception {
    this.weights = weights;
    this.strategy = strategy;
    this.tune = tune;
    this.stateDir = stateDir;
    this.queueGroups = queueGroups;
    LocalCluster.Builder setup = LocalCluster.builder(workerCount);
    if (mosquittoDir != null) {
      setup.mosquitto(mosquittoDir);
    } else if (stateDir != null) {
      setup.persistentBroker(stateDir.resolve("broker"));
    }
    local = setup.start();
    try {
      for (int i = 1; i <= workerCount; i++) {
        String id = ClusterCredentials.workerId(i);
        if (workerProcesses) {
          local.startWorkerProcess(
              id,
              Path.of(System.getProperty("java.io.tmpdir"), "edgedi-test-" + id + ".log"),
              List.of(
                  "--threads",
                  "1",
                  "--model",
                  weights.model().name(),
                  "--weights-seed",
                  weights.version().replace("random-seed-", "")));
        } else {
          workers.add(local.startWorker(id, weights));
        }
      }
      startPlanner();
      local.awaitWorkers(planner, workerCount, 120_000);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  void startPlanner() throws Exception {
    planner = startPlanner("planner");
  }

  /**
   * Starts another planner of the site (user planner, so its id is planner or planner-*), with its
   * own state directory when the cluster has one; the caller closes it.
   */
  Planner startPlanner(String id) throws Exception {
    PlannerOptions options =
        tune.apply(PlannerOptions.defaults(id, SITE).withQueueGroups(queueGroups));
    if (stateDir != null) {
      options = options.withStateDir(stateDir.resolve(id));
    }
    Planner p = local.startPlanner(id, weights, strategy.get(), options);
    synchronized (planners) {
      planners.add(p);
    }
    return p;
  }

  /** Every planner this fixture started, closed ones included (their counters stay readable). */
  List<Planner> planners() {
    synchronized (planners) {
      return List.copyOf(planners);
    }
  }

  /** Stops in-process worker {@code index} (0-based), as a worker that shuts down leaves. */
  WorkerAgent stopWorker(int index) {
    WorkerAgent w = workers.remove(index);
    local.stopWorker(w.workerId());
    return w;
  }

  /** SIGKILL to worker process {@code index} (0-based), as a power cut or kill -9 would. */
  void kill(int index) throws InterruptedException {
    local.processes().kill(ClusterCredentials.workerId(index + 1));
  }

  /**
   * SIGSTOP / SIGCONT to worker process {@code index}: it keeps its connection but stops computing.
   */
  void freeze(int index, boolean frozen) throws Exception {
    local.processes().freeze(ClusterCredentials.workerId(index + 1), frozen);
  }

  void restartBroker() {
    local.restartBroker();
  }

  MqttSettings settings(String user, String clientId) {
    return local.settings(user, clientId);
  }

  String brokerUrl() {
    return local.brokerUrl();
  }

  @Override
  public void close() {
    if (planner != null) {
      planner.close();
    }
    local.close();
  }
}
