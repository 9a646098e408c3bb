package io.edgedi.planner.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import org.junit.jupiter.api.Test;

/** Prints how long planning takes; asserts only that it finishes and that reused cuts stay close. */
class PlanTimingTest {

  @Test
  void printsMicrosPerPlan() {
    for (String model : new String[] {"vgg16-scar", "resnet18-scar", "vgg16"}) {
      ModelSpec m = ModelZoo.byName(model);
      for (String s : Strategies.NAMES) {
        StringBuilder line = new StringBuilder(String.format("planMicros %-13s %-12s", model, s));
        for (int n : new int[] {8, 64, 1000}) {
          double micros = PlanTiming.microsPerPlan(Strategies.byName(s), m, n, n >= 1000 ? 9 : 21);
          assertTrue(micros > 0);
          line.append(String.format("  n=%-4d %9.1f us", n, micros));
        }
        System.out.println(line);
      }
      StringBuilder line = new StringBuilder(String.format("planMicros %-13s %-12s", model, "optimal-dp"));
      for (int n : new int[] {8, 64}) {
        line.append(String.format("  n=%-4d %9.1f us", n, PlanTiming.microsPerPlan(new OptimalStrategy(false), m, n, 9)));
      }
      System.out.println(line);
    }
  }

  /** The cost-model loss of reusing cuts under the drift that triggers no new DP. */
  @Test
  void reusedCutsLoseLittle() {
    for (String model : new String[] {"vgg16-scar", "resnet18-scar"}) {
      double loss = PlanTiming.reusedCutsWorstLoss(ModelZoo.byName(model), 8, 6, OptimalStrategy.REPLAN_DRIFT);
      System.out.printf("reusedCutsWorstLoss %s %.4f%n", model, loss);
      assertTrue(loss >= -1e-9, "a reused plan beat a fresh DP by " + loss + ": the DP is not optimal");
      assertTrue(loss < 0.05, model + ": reused cuts " + loss * 100 + "% slower than a fresh DP");
    }
  }
}
