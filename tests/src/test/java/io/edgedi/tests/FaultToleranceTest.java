package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line does not stop because a Pi dies, a Pi is slow, the broker restarts or the planner
 * restarts: every frame is classified exactly once and stays exact.
 */
class FaultToleranceTest {
  private static final FoldedWeights WEIGHTS = FoldedWeights.fold(
      RandomWeights.create(ModelZoo.byName("resnet18-scar"), 4), "random-seed-4");

  @Test
  void workerKilledMidRunIsReplannedAround() throws Exception {
    try (TestCluster cluster = new TestCluster(WEIGHTS, 3, true, null);
         LineUnderTest line = new LineUnderTest(cluster)) {
      line.publish(12);
      assertTrue(line.awaitClassified(2, 60_000), "no frame classified before the kill");
      cluster.kill(1);
      line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 120_000);
      assertTrue(cluster.planner.failed() == 0, "frames failed");
    }
  }

  @Test
  void stragglerIsOvertakenAndItsLateResultIgnored() throws Exception {
    try (TestCluster cluster = new TestCluster(WEIGHTS, 3, true, null);
         LineUnderTest line = new LineUnderTest(cluster)) {
      line.publish(2);
      assertTrue(line.awaitClassified(2, 60_000));
      // Frozen for less than the 3 s heartbeat timeout: alive but late, so only the stage
      // deadline can rescue the frame.
      cluster.freeze(0, true);
      line.publish(3);
      Thread.sleep(2_500);
      cluster.freeze(0, false);
      line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 120_000);
    }
  }

  @Test
  void brokerRestartLosesNoFrame(@TempDir Path state) throws Exception {
    try (TestCluster cluster = new TestCluster(WEIGHTS, 2, false, state);
         LineUnderTest line = new LineUnderTest(cluster)) {
      line.publish(8);
      assertTrue(line.awaitClassified(1, 60_000));
      cluster.restartBroker();
      line.publish(4);
      line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 180_000);
    }
  }

  @Test
  void plannerRestartFinishesInFlightFramesWithoutDuplicates(@TempDir Path state) throws Exception {
    try (TestCluster cluster = new TestCluster(WEIGHTS, 2, false, state);
         LineUnderTest line = new LineUnderTest(cluster)) {
      line.publish(10);
      assertTrue(line.awaitClassified(2, 60_000));
      cluster.planner.close(); // mid-queue: the unfinished frames were never acknowledged
      cluster.startPlanner();
      line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 120_000);
    }
  }
}
