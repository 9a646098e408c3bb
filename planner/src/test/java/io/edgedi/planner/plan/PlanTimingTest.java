package io.edgedi.planner.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import org.junit.jupiter.api.Test;

/** Prints how long planning takes; asserts only that it finishes. */
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
    }
  }
}
