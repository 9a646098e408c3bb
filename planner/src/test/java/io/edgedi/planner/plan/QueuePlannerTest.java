package io.edgedi.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueuePlannerTest {
  private final ModelSpec model = ModelZoo.byName("vgg16-scar");

  private static List<WorkerStatus> cluster(int n, double bytesPerSecond, double latencyMillis) {
    List<WorkerStatus> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new WorkerStatus("w" + i, true, 0, 0.8 + 0.1 * i, 2, 4, 0, 0, "m")
              .withLink(bytesPerSecond, latencyMillis));
    }
    return out;
  }

  @Test
  void oneQueuedFrameGoesToOneGroupOfEveryone() {
    List<WorkerStatus> workers = cluster(4, 1e6, 20);
    QueuePlanner.Choice c = QueuePlanner.choose(model, workers, 1);
    assertEquals(1, c.groups().size());
    assertEquals(4, c.groups().get(0).size());
    assertTrue(c.makespanMillis() > 0);
  }

  @Test
  void manyFramesOnSlowLinksGoToSeveralGroups() {
    List<WorkerStatus> workers = cluster(6, 1e6, 20);
    QueuePlanner.Choice c = QueuePlanner.choose(model, workers, 60);
    assertTrue(c.groups().size() > 1, "groups " + c.groups().size());
    Set<String> seen = new HashSet<>();
    c.groups()
        .forEach(g -> g.forEach(w -> assertTrue(seen.add(w.workerId()), "worker in two groups")));
    assertEquals(6, seen.size());
    double oneGroup =
        QueuePlanner.evaluate(model, workers, 60, 1, new OptimalStrategy()).makespanMillis();
    assertTrue(c.makespanMillis() < oneGroup, c.makespanMillis() + " vs " + oneGroup);
  }

  @Test
  void fastLinksAndFewFramesKeepOneGroup() {
    List<WorkerStatus> workers = cluster(3, 1e9, 0.05);
    QueuePlanner.Choice c = QueuePlanner.choose(model, workers, 2);
    double split =
        QueuePlanner.evaluate(model, workers, 2, 1, new OptimalStrategy()).makespanMillis();
    assertTrue(c.makespanMillis() <= split);
  }
}
