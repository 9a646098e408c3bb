package io.edgedi.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Optimal keeps splitting while splits do what the cost model says, and stops once they run slower.
 */
class OutcomeCheckedStrategyTest {
  private final ModelSpec model = ModelZoo.byName("vgg16");
  private final List<WorkerStatus> workers =
      List.of(
          StrategiesTest.worker("a", 0.5),
          StrategiesTest.worker("b", 0.6),
          StrategiesTest.worker("c", 0.6));

  @Test
  void splitsUntilSplitFramesProveSlowerThanOneWorker() {
    PlanOutcomes outcomes = new PlanOutcomes();
    OutcomeCheckedStrategy strategy =
        new OutcomeCheckedStrategy(Strategies.byName("optimal"), outcomes);
    FramePlan split = strategy.plan("p", model, workers);
    assertTrue(PlanOutcomes.isSplit(split), "vgg16 on three similar workers splits");
    FramePlan alone = Strategies.byName("optimal").plan("q", model, List.of(workers.get(0)));
    double gain = PlanOutcomes.predictedMillis(alone) / PlanOutcomes.predictedMillis(split);
    // Split frames that really took as long as predicted: keep splitting.
    for (int i = 0; i < 5; i++) {
      outcomes.record(split, PlanOutcomes.predictedMillis(split));
      outcomes.record(alone, PlanOutcomes.predictedMillis(alone));
    }
    assertTrue(PlanOutcomes.isSplit(strategy.plan("p", model, workers)));
    // Split frames that took twice the predicted gain: one worker is faster, so it gets the frame.
    for (int i = 0; i < 10; i++) {
      outcomes.record(split, 2 * gain * PlanOutcomes.predictedMillis(split));
    }
    FramePlan chosen = strategy.plan("p", model, workers);
    assertFalse(PlanOutcomes.isSplit(chosen));
    assertEquals(List.of("a"), chosen.stages().get(0).workers());
  }

  @Test
  void queueGroupsAreChosenWithWhatSplitFramesReallyTook() {
    PlanOutcomes outcomes = new PlanOutcomes();
    OutcomeCheckedStrategy strategy =
        new OutcomeCheckedStrategy(Strategies.byName("optimal"), outcomes);
    FramePlan split = strategy.plan("p", model, workers);
    assertEquals(
        PlanOutcomes.predictedMillis(split),
        strategy.expectedMillis(split, PlanOutcomes.predictedMillis(split)),
        1e-9,
        "nothing learned yet");
    outcomes.record(split, 3 * PlanOutcomes.predictedMillis(split));
    assertEquals(3 * 100.0, strategy.expectedMillis(split, 100.0), 1e-9);
    // Three times slower splits than predicted: a queue of frames goes one frame per worker.
    QueuePlanner.Choice c = QueuePlanner.choose(model, workers, 12, strategy);
    assertEquals(3, c.groups().size(), c.toString());
  }
}
