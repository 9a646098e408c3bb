package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.schemas.Classification;
import org.junit.jupiter.api.Test;

class PipelineEndToEndTest {
  private static final FoldedWeights WEIGHTS =
      FoldedWeights.fold(
          RandomWeights.create(ModelZoo.byName("resnet18-scar"), 4), "random-seed-4");

  /** One frame at a time across all workers. */
  @Test
  void everyFrameIsClassifiedExactlyOnceAndEqualsMonolithicInference() throws Exception {
    long groupRuns = sendAndCheck(false, 6);
    assertEquals(0, groupRuns);
  }

  /** Frames sent back to back queue up; the planner runs some side by side on worker groups. */
  @Test
  void queuedFramesRunSideBySideOnWorkerGroupsAndStayExact() throws Exception {
    long groupRuns = sendAndCheck(true, 9);
    assertTrue(groupRuns > 0, "no frame batch ran on worker groups");
  }

  /**
   * Sends {@code count} frames at once, checks them; returns how often the planner ran frames on
   * worker groups.
   */
  private static long sendAndCheck(boolean queueGroups, int count) throws Exception {
    try (ClusterFixture cluster = ClusterFixture.inMemory(WEIGHTS, 3, queueGroups);
        LineFixture line = new LineFixture(cluster)) {
      line.publish(count);
      line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 120_000);
      assertEquals(count, cluster.planner.classified(), "classifications published");
      assertEquals(0, cluster.planner.failed());
      Classification c = line.byFrame().get(line.sentIds().get(0));
      assertEquals("crazing", c.getLabel());
      assertEquals(WEIGHTS.version(), c.getWeightsVersion());
      assertTrue(c.getPlanId().startsWith("planner-"));
      return cluster.planner.groupRuns();
    }
  }
}
