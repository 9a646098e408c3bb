package io.edgedi.tests;

import io.edgedi.broker.access.Role;
import io.edgedi.broker.embedded.EmbeddedBroker;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.plan.ProportionalStrategy;
import io.edgedi.transport.MqttSettings;
import io.edgedi.worker.WorkerAgent;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedded broker with fresh random credentials, a planner and N worker agents in this JVM:
 * the whole system on loopback for end-to-end tests.
 */
final class TestCluster implements AutoCloseable {
  static final String SITE = "plant1";
  final EmbeddedBroker broker;
  final Planner planner;
  final List<WorkerAgent> workers = new ArrayList<>();
  private final Map<String, char[]> passwords = new HashMap<>();

  TestCluster(FoldedWeights weights, int workerCount) throws Exception {
    List<UserAccount> users = new ArrayList<>();
    PasswordHasher fast = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);
    users.add(account("planner", Role.PLANNER, fast));
    users.add(account("camera", Role.CAMERA, fast));
    users.add(account("mes", Role.MES, fast));
    for (int i = 1; i <= workerCount; i++) {
      users.add(account("worker-" + i, Role.WORKER, fast));
    }
    broker = EmbeddedBroker.builder().port(0).users(UsersFile.of(users)).start();
    for (int i = 1; i <= workerCount; i++) {
      WorkerAgent w = new WorkerAgent(settings("worker-" + i, "worker-" + i), SITE, weights, 64 << 20);
      w.start();
      workers.add(w);
    }
    planner = new Planner(settings("planner", "planner"), weights, new ProportionalStrategy(),
        PlannerOptions.defaults("planner", SITE));
    planner.start();
    long deadline = System.currentTimeMillis() + 30_000;
    while (planner.cluster().usable(System.currentTimeMillis()).size() < workerCount) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("workers did not come online: " + planner.cluster().all());
      }
      Thread.sleep(50);
    }
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
    return new MqttSettings(broker.url(), clientId, user, passwords.get(user));
  }

  @Override
  public void close() {
    planner.close();
    workers.forEach(WorkerAgent::close);
    broker.close();
  }
}
