package io.edgedi.cli.emulate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelZoo;
import io.edgedi.planner.plan.OptimalStrategy;
import io.edgedi.planner.plan.Strategies;
import org.junit.jupiter.api.Test;

/**
 * The bench's planning figures, checked where they can be judged: timing a plan gives a time, and
 * reused cuts stay close to a fresh DP. An integration test because it plans for up to 1000
 * workers: seconds of CPU the unit suite should not spend (`./edgedi bench` prints the times).
 */
class PlanTimingIT {

  @Test
  void timesAPlanOfEveryStrategy() {
    for (String s : Strategies.NAMES) {
      for (int n : new int[] {8, 1000}) {
        double micros =
            PlanTiming.microsPerPlan(Strategies.byName(s), ModelZoo.byName("resnet18-scar"), n, 3);
        assertTrue(micros > 0, s + " at " + n + " workers: " + micros + " us");
      }
    }
  }

  /** The cost-model loss of reusing cuts under the drift that triggers no new DP. */
  @Test
  void reusedCutsLoseLittle() {
    for (String model : new String[] {"vgg16-scar", "resnet18-scar"}) {
      double loss =
          PlanTiming.reusedCutsWorstLoss(
              ModelZoo.byName(model), 8, 6, OptimalStrategy.REPLAN_DRIFT);
      assertTrue(
          loss >= -1e-9, "a reused plan beat a fresh DP by " + loss + ": the DP is not optimal");
      assertTrue(loss < 0.05, model + ": reused cuts " + loss * 100 + "% slower than a fresh DP");
    }
  }
}
