package io.edgedi.tests;

import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.transport.MqttSettings;
import io.edgedi.worker.WorkerAgent;

/**
 * A worker agent in its own JVM for fault tests (it must be killable with SIGKILL): args are
 * broker URL, worker id, model, weights seed; the password comes in EDGEDI_PASSWORD.
 */
public final class TestWorkerMain {
  private TestWorkerMain() {}

  public static void main(String[] args) throws Exception {
    TfRuntime.useThreads(1);
    String id = args[1];
    FoldedWeights weights = FoldedWeights.fold(RandomWeights.create(ModelZoo.byName(args[2]),
        Long.parseLong(args[3])), "random-seed-" + args[3]);
    WorkerAgent agent = new WorkerAgent(new MqttSettings(args[0], id, id,
        System.getenv("EDGEDI_PASSWORD").toCharArray()), TestCluster.SITE, weights);
    agent.start();
    System.out.println("READY " + id);
    Thread.sleep(Long.MAX_VALUE);
  }
}
