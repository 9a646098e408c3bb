package io.edgedi.tests;

import io.edgedi.broker.access.Role;
import io.edgedi.broker.embedded.BrokerConfig;
import io.edgedi.broker.embedded.EmbeddedBroker;
import io.edgedi.broker.mosquitto.MosquittoProcess;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.plan.Strategies;
import io.edgedi.transport.MqttSettings;
import io.edgedi.worker.WorkerAgent;
import java.io.File;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An embedded broker (or a Mosquitto process) with fresh random credentials, a planner and N
 * worker agents: the whole system on loopback for end-to-end and fault tests. Workers run in this
 * JVM, or as separate JVMs when the test needs to kill or freeze them.
 */
final class TestCluster implements AutoCloseable {
  static final String SITE = "plant1";
  /** The embedded HiveMQ; null when the cluster runs on {@link #mosquitto}. */
  EmbeddedBroker broker;
  MosquittoProcess mosquitto;
  Planner planner;
  final List<WorkerAgent> workers = new ArrayList<>();
  final List<Process> processes = new ArrayList<>();
  private final Map<String, char[]> passwords = new HashMap<>();
  private final FoldedWeights weights;
  private final Path stateDir;
  private final boolean queueGroups;

  /** Workers in this JVM, in-memory broker. */
  TestCluster(FoldedWeights weights, int workerCount) throws Exception {
    this(weights, workerCount, false, null, true, null);
  }

  /** Workers in this JVM, on a Mosquitto 2 process started with its files in {@code mosquittoDir}. */
  static TestCluster onMosquitto(FoldedWeights weights, int workerCount, Path mosquittoDir) throws Exception {
    return new TestCluster(weights, workerCount, false, null, true, mosquittoDir);
  }

  /** Workers in this JVM, in-memory broker; queued frames may (or never) run on worker groups. */
  static TestCluster inMemory(FoldedWeights weights, int workerCount, boolean queueGroups) throws Exception {
    return new TestCluster(weights, workerCount, false, null, queueGroups, null);
  }

  TestCluster(FoldedWeights weights, int workerCount, boolean workerProcesses, Path stateDir) throws Exception {
    this(weights, workerCount, workerProcesses, stateDir, true, null);
  }

  /**
   * @param workerProcesses run each worker in its own JVM (random weights of the same seed)
   * @param stateDir if set: file-persistent broker and planner journal under it (restart tests)
   * @param mosquittoDir if set: Mosquitto instead of the embedded HiveMQ, its files in this folder
   */
  private TestCluster(FoldedWeights weights, int workerCount, boolean workerProcesses, Path stateDir,
                      boolean queueGroups, Path mosquittoDir) throws Exception {
    this.weights = weights;
    this.stateDir = stateDir;
    this.queueGroups = queueGroups;
    List<UserAccount> users = new ArrayList<>();
    PasswordHasher fast = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);
    users.add(account("planner", Role.PLANNER, fast));
    users.add(account("camera", Role.CAMERA, fast));
    users.add(account("mes", Role.MES, fast));
    for (int i = 1; i <= workerCount; i++) {
      users.add(account("worker-" + i, Role.WORKER, fast));
    }
    if (mosquittoDir != null) {
      mosquitto = MosquittoProcess.start(mosquittoDir, UsersFile.of(users), passwords);
    } else {
      EmbeddedBroker.Builder b = EmbeddedBroker.builder().port(0).users(UsersFile.of(users));
      if (stateDir != null) {
        b.persistence(BrokerConfig.Persistence.FILE).homeFolder(stateDir.resolve("broker"));
      }
      broker = b.start();
    }
    for (int i = 1; i <= workerCount; i++) {
      String id = "worker-" + i;
      if (workerProcesses) {
        startWorkerProcess(id);
      } else {
        WorkerAgent w = new WorkerAgent(settings(id, id), SITE, weights);
        w.start();
        workers.add(w);
      }
    }
    startPlanner();
    awaitWorkers(workerCount, 120_000);
  }

  void startPlanner() throws Exception {
    planner = startPlanner("planner");
  }

  /**
   * Starts another planner of the site (user planner, so its id is planner or planner-*), with
   * its own state directory when the cluster has one; the caller closes it.
   */
  Planner startPlanner(String id) throws Exception {
    PlannerOptions options = PlannerOptions.defaults(id, SITE).withQueueGroups(queueGroups);
    if (stateDir != null) {
      options = options.withStateDir(stateDir.resolve(id));
    }
    Planner p = new Planner(settings("planner", id), weights, Strategies.byName(Strategies.DEFAULT), options);
    p.start();
    return p;
  }

  void awaitWorkers(int count, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (planner.cluster().usable(System.currentTimeMillis()).size() < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("workers did not come online: " + planner.cluster().all());
      }
      Thread.sleep(50);
    }
  }

  private void startWorkerProcess(String id) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String model = weights.model().name();
    String seed = weights.version().replace("random-seed-", "");
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        TestWorkerMain.class.getName(), brokerUrl(), id, model, seed)
        .redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "edgedi-test-" + id + ".log"));
    pb.environment().put("EDGEDI_PASSWORD", new String(passwords.get(id)));
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    processes.add(pb.start());
  }

  /** SIGKILL, as a power cut or kill -9 would. */
  void kill(int workerIndex) throws InterruptedException {
    Process p = processes.get(workerIndex);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGSTOP / SIGCONT: the worker keeps its connection but stops computing (a straggler). */
  void freeze(int workerIndex, boolean frozen) throws Exception {
    long pid = processes.get(workerIndex).pid();
    new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(pid)).start().waitFor();
  }

  /** Stops the broker and starts a new one on the same port and data folder. */
  void restartBroker() {
    EmbeddedBroker.Builder again = broker.toBuilder();
    broker.close();
    broker = again.start();
  }

  private UserAccount account(String name, Role role, PasswordHasher hasher) {
    char[] pw = new char[24];
    SecureRandom rnd = new SecureRandom();
    for (int i = 0; i < pw.length; i++) {
      pw[i] = (char) ('a' + rnd.nextInt(26));
    }
    passwords.put(name, pw);
    return UserAccount.create(name, role, pw.clone(), hasher);
  }

  MqttSettings settings(String user, String clientId) {
    return new MqttSettings(brokerUrl(), clientId, user, passwords.get(user));
  }

  String brokerUrl() {
    return mosquitto != null ? mosquitto.url() : broker.url();
  }

  @Override
  public void close() {
    if (planner != null) {
      planner.close();
    }
    workers.forEach(WorkerAgent::close);
    processes.forEach(Process::destroyForcibly);
    if (broker != null) {
      broker.close();
    }
    if (mosquitto != null) {
      mosquitto.close();
    }
  }
}
