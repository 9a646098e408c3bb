package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.cluster.Await;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.planner.Planner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two planners per site (docs/decisions/004-planner-failover.md): the active one stops while frames
 * queue (a rollout), the standby, which spooled the same frames and dropped those it saw
 * classified, finishes the rest: none lost, none classified twice unless marked as a repeat. The
 * crash case (kill -9 with the state directory deleted) is the chaos run's (cli ChaosCommand).
 */
class PlannerFailoverTest {
  private static final FoldedWeights WEIGHTS =
      FoldedWeights.fold(
          RandomWeights.create(ModelZoo.byName("resnet18-scar"), 4), "random-seed-4");

  @Test
  void activePlannerStoppedMidQueueHandsOverToTheStandby(@TempDir Path state) throws Exception {
    try (ClusterFixture cluster = new ClusterFixture(WEIGHTS, 2, false, state);
        LineFixture line = new LineFixture(cluster)) {
      Planner second = cluster.startPlanner("planner-b");
      try {
        awaitOneActive(cluster.planner, second);
        line.publish(10);
        assertTrue(line.awaitClassified(2, 60_000));
        Planner active = cluster.planner.active() ? cluster.planner : second;
        Planner standby = active == second ? cluster.planner : second;
        active.close();
        if (active == cluster.planner) {
          cluster.planner = null; // closed here, not again by the cluster
        }
        line.publish(4);
        line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 120_000);
        assertTrue(standby.active(), "the standby took over");
      } finally {
        second.close();
      }
    }
  }

  private static void awaitOneActive(Planner a, Planner b) throws Exception {
    Await.orFail(
        () -> a.active() ^ b.active(),
        30_000,
        () -> "no single active planner: " + a.activePlanner() + " / " + b.activePlanner());
  }
}
