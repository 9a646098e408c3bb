package io.edgedi.cli.emulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.PartitionStrategy;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterleavedTest {
  /** A strategy that only says who planned. */
  private record Named(String name) implements PartitionStrategy {
    @Override
    public AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers) {
      return new AssignedStage(
          stage,
          List.of(new RowRange(0, model.shape(stage.outputNode()).height())),
          List.of(name),
          List.of(0.0));
    }
  }

  @Test
  void theTurnDecidesWhoPlansAndTheNameStaysTheTestedPlanners() {
    ModelSpec model = ModelZoo.byName("vgg16-scar", 32, 32);
    Interleaved turns = new Interleaved(new Named("tested"), new Named("baseline"));
    assertEquals("tested", turns.name());
    assertEquals("tested", turns.plan("p1", model, List.of()).stages().get(0).workers().get(0));
    turns.baselineTurn(true);
    assertEquals("baseline", turns.plan("p2", model, List.of()).stages().get(0).workers().get(0));
    assertEquals("tested", turns.name());
    turns.baselineTurn(false);
    assertEquals("tested", turns.plan("p3", model, List.of()).stages().get(0).workers().get(0));
  }

  @Test
  void armsSplitBySendingPlaceAndSurviveLostFrames() {
    // Frame at place 2 was lost: the arms must not shift.
    FrameDriver.Sequential all =
        new FrameDriver.Sequential(
            List.of(10.0, 50.0, 60.0, 12.0, 55.0),
            1,
            List.of(4, 1, 1, 4, 1),
            List.of(List.of(), List.of(), List.of(), List.of(), List.of()),
            List.of(0, 1, 3, 4, 5),
            List.of(9.0, 40.0, 40.0, 11.0, 40.0),
            List.of(1L, 2L, 3L, 4L, 5L));
    assertEquals(List.of(10.0, 12.0), all.arm(0).latencies());
    assertEquals(List.of(4, 4), all.arm(0).workersUsed());
    assertEquals(List.of(1L, 4L), all.arm(0).plannerBytes());
    assertEquals(List.of(9.0, 11.0), all.arm(0).predicted());
    assertEquals(List.of(50.0, 60.0, 55.0), all.arm(1).latencies());
  }
}
