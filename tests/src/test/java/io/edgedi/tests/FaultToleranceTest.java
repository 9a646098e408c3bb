package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line does not stop because the broker restarts or the planner restarts: every frame is
 * classified exactly once and stays exact. A dead or slow Pi: {@link WorkerFaultIT}.
 */
class FaultToleranceTest {
  private static final FoldedWeights WEIGHTS =
      FoldedWeights.fold(
          RandomWeights.create(ModelZoo.byName("resnet18-scar"), 4), "random-seed-4");

  @Test
  void brokerRestartLosesNoFrame(@TempDir Path state) throws Exception {
    try (ClusterFixture cluster = new ClusterFixture(WEIGHTS, 2, false, state);
        LineFixture line = new LineFixture(cluster)) {
      line.publish(8);
      assertTrue(line.awaitClassified(1, 60_000));
      cluster.restartBroker();
      line.publish(4);
      line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 180_000);
    }
  }

  @Test
  void plannerRestartFinishesInFlightFramesWithoutDuplicates(@TempDir Path state) throws Exception {
    try (ClusterFixture cluster = new ClusterFixture(WEIGHTS, 2, false, state);
        LineFixture line = new LineFixture(cluster)) {
      line.publish(10);
      assertTrue(line.awaitClassified(2, 60_000));
      cluster.planner.close(); // mid-queue: the unfinished frames were never acknowledged
      cluster.startPlanner();
      line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 120_000);
    }
  }
}
