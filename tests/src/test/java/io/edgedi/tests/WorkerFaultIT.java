package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.cluster.Await;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import org.junit.jupiter.api.Test;

/**
 * A line does not stop because a Pi dies or a Pi is slow: every frame is classified exactly once
 * and stays exact. The workers are JVMs of their own, so that one can be killed (SIGKILL) or frozen
 * (SIGSTOP).
 */
class WorkerFaultIT {
  private static final FoldedWeights WEIGHTS =
      FoldedWeights.fold(
          RandomWeights.create(ModelZoo.byName("resnet18-scar"), 4), "random-seed-4");

  @Test
  void workerKilledMidRunIsReplannedAround() throws Exception {
    try (ClusterFixture cluster = new ClusterFixture(WEIGHTS, 3, true, null);
        LineFixture line = new LineFixture(cluster)) {
      line.publish(12);
      assertTrue(line.awaitClassified(2, 60_000), "no frame classified before the kill");
      cluster.kill(1);
      line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 120_000);
      assertEquals(0, cluster.planner.failed(), "frames failed");
    }
  }

  @Test
  void stragglerIsOvertakenAndItsLateResultIgnored() throws Exception {
    // Every frame runs whole on worker-2 while it is offered, so every frame after the freeze
    // waits for it. A worker counts as gone after 20 s of silence here, not 3: the straggler stays
    // alive however far a loaded machine pushes the stage deadline, so only that deadline can
    // rescue its frame.
    try (ClusterFixture cluster =
            ClusterFixture.workerProcesses(
                WEIGHTS,
                3,
                o -> o.withWorkerStaleMillis(20_000).withQueueGroups(false),
                () -> new PreferredWorkerStrategy("worker-2"));
        LineFixture line = new LineFixture(cluster)) {
      line.publish(2);
      assertTrue(line.awaitClassified(2, 60_000));
      long before = cluster.planner.overtaken();
      cluster.freeze(1, true);
      line.publish(3);
      // Frozen until a frame has been finished by another attempt than the straggler's.
      boolean overtaken = Await.until(() -> cluster.planner.overtaken() > before, 60_000);
      cluster.freeze(1, false);
      assertTrue(overtaken, "no frame took the straggler path (an attempt beside a late one)");
      line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 120_000);
      assertEquals(0, cluster.planner.failed(), "frames failed");
    }
  }
}
