package io.edgedi.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrategiesTest {
  private static final PlanCost COST = new PlanCost();
  private static final double SLACK = 1e-6;

  static WorkerStatus worker(String id, double secondsPerGflop) {
    return new WorkerStatus(id, true, 0, secondsPerGflop, 2, 4, 0.1, 0, "m");
  }

  /** Speeds 1x..4x, mixed links. */
  static List<WorkerStatus> heterogeneous(int n) {
    return SyntheticWorkers.of(n, 11);
  }

  @Test
  void namesSelectNewInstancesAndUnknownNamesAreRejected() {
    assertInstanceOf(OptimalStrategy.class, Strategies.byName(null));
    assertInstanceOf(OptimalStrategy.class, Strategies.byName(""));
    assertEquals("optimal", Strategies.DEFAULT);
    for (String n : Strategies.NAMES) {
      assertEquals(n, Strategies.byName(n).name());
      assertEquals(n, Strategies.byName(n.toUpperCase()).name());
      assertFalse(Strategies.byName(n) == Strategies.byName(n));
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Strategies.byName("fastest"));
    for (String n : Strategies.NAMES) {
      assertTrue(e.getMessage().contains(n), e.getMessage());
    }
  }

  @Test
  void everyStrategyMakesValidPlansOnEveryZooModel() {
    for (String name : ModelZoo.NAMES) {
      ModelSpec m = ModelZoo.byName(name);
      for (int n : new int[] {1, 3, 8, 300}) {
        List<WorkerStatus> workers = heterogeneous(n);
        for (String s : Strategies.NAMES) {
          FramePlan plan = Strategies.byName(s).plan("p", m, workers);
          assertValid(m, plan, workers, name + " " + s + " n=" + n);
        }
      }
    }
  }

  static void assertValid(ModelSpec m, FramePlan plan, List<WorkerStatus> workers, String what) {
    Set<String> ids = new HashSet<>();
    workers.forEach(w -> ids.add(w.workerId()));
    int from = 1;
    for (AssignedStage a : plan.stages()) {
      assertEquals(from, a.stage().from(), what + ": stages must follow each other");
      assertTrue(m.isCut(a.stage().from()) && m.isCut(a.stage().to()), what);
      StageGeometry.of(m, a.stage(), a.bands()); // throws unless the bands partition the rows
      assertEquals(
          new HashSet<>(a.workers()).size(),
          a.workers().size(),
          what + ": a worker twice in a stage");
      assertTrue(ids.containsAll(a.workers()), what);
      for (double p : a.predictedMillis()) {
        assertTrue(p > 0 && Double.isFinite(p), what + ": prediction " + p);
      }
      from = a.stage().to();
    }
    assertEquals(m.size(), from, what + ": plan must end at the last node");
  }

  @Test
  void optimalBeatsOrTiesEveryBaselineAndEdgediBeatsProportional() {
    for (String name : ModelZoo.NAMES) {
      ModelSpec m = ModelZoo.byName(name);
      for (int n : new int[] {2, 3, 5, 8, 64}) {
        List<WorkerStatus> workers = heterogeneous(n);
        double equal = frame(m, "equal", workers);
        double proportional = frame(m, "proportional", workers);
        double edgedi = frame(m, "edgedi", workers);
        double optimal = frame(m, "optimal", workers);
        String what =
            name
                + " n="
                + n
                + ": optimal "
                + optimal
                + " edgedi "
                + edgedi
                + " proportional "
                + proportional
                + " equal "
                + equal;
        assertTrue(optimal <= edgedi * (1 + SLACK), what);
        assertTrue(optimal <= proportional * (1 + SLACK), what);
        assertTrue(optimal <= equal * (1 + SLACK), what);
        assertTrue(edgedi <= proportional * (1 + SLACK), what);
      }
    }
  }

  @Test
  void optimalIsClearlyBetterOnASkewedCluster() {
    ModelSpec m = ModelZoo.byName("vgg16-scar");
    // One fast Pi on a fast link, two slow ones on a slow, laggy link.
    List<WorkerStatus> workers =
        List.of(
            worker("a", 0.25).withLink(100e6, 0.5),
            worker("b", 2.0).withLink(2e6, 8),
            worker("c", 2.0).withLink(2e6, 8));
    double optimal = frame(m, "optimal", workers);
    for (String s : List.of("equal", "proportional")) {
      assertTrue(
          optimal < 0.95 * frame(m, s, workers),
          s + ": " + frame(m, s, workers) + " vs optimal " + optimal);
    }
    // With halo exchange and one-hop all-reduces splitting is cheap, and EdgeDI's row moving gets
    // within a few percent here; optimal must still not lose to it.
    assertTrue(
        optimal <= frame(m, "edgedi", workers),
        "edgedi: " + frame(m, "edgedi", workers) + " vs " + optimal);
  }

  @Test
  void workersFarTooSlowGetNoRows() {
    ModelSpec m = ModelZoo.byName("vgg16-scar");
    List<WorkerStatus> workers =
        List.of(worker("fast1", 0.5), worker("snail", 500), worker("fast2", 0.6));
    FramePlan plan = Strategies.byName("optimal").plan("p", m, workers);
    for (AssignedStage a : plan.stages()) {
      assertFalse(a.workers().contains("snail"), a.toString());
    }
    AssignedStage again = new OptimalStrategy().planStage(m, plan.stages().get(0).stage(), workers);
    assertFalse(again.workers().contains("snail"));
  }

  @Test
  void oneWorkerGetsTheWholeFrameInOneStage() {
    ModelSpec m = ModelZoo.byName("resnet18-scar");
    FramePlan plan = new OptimalStrategy().plan("p", m, List.of(worker("only", 1)));
    assertEquals(1, plan.stages().size());
    assertEquals(new Stage(1, m.size()), plan.stages().get(0).stage());
    assertEquals(
        List.of(new RowRange(0, m.shape(m.lastNode()).height())), plan.stages().get(0).bands());
  }

  @Test
  void replanningOneStageWorksForEveryStrategy() {
    ModelSpec m = ModelZoo.byName("vgg13-scar");
    List<WorkerStatus> workers = heterogeneous(4);
    for (String s : Strategies.NAMES) {
      PartitionStrategy st = Strategies.byName(s);
      FramePlan plan = st.plan("p", m, workers);
      for (AssignedStage a : plan.stages()) {
        AssignedStage again = st.planStage(m, a.stage(), workers.subList(1, 4));
        StageGeometry.of(m, again.stage(), again.bands());
        assertFalse(again.workers().contains(workers.get(0).workerId()));
      }
    }
  }

  @Test
  void usesMoreWorkersWhenTheyHelp() {
    ModelSpec m = ModelZoo.byName("vgg16");
    List<WorkerStatus> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workers.add(worker("w" + i, 1).withLink(1e9, 0.2));
    }
    FramePlan plan = new OptimalStrategy().plan("p", m, workers);
    assertEquals(4, plan.stages().get(0).workers().size(), plan.toString());
  }

  static double frame(ModelSpec m, String strategy, List<WorkerStatus> workers) {
    return COST.frameMillis(m, Strategies.byName(strategy).plan("p", m, workers), workers);
  }
}
