package io.edgedi.cli.emulate;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.plan.ProportionalStrategy;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strategies by name through {@code io.edgedi.planner.plan.Strategies.byName} and plan timings
 * through {@code PlanTiming.microsPerPlan}, looked up reflectively: both are written in parallel
 * with this benchmark, and without them only {@code proportional} is available.
 * TODO(issue #5): call Strategies and PlanTiming directly once they are merged.
 */
public final class StrategyCatalog {
  private static final String PLAN_PACKAGE = "io.edgedi.planner.plan.";

  private StrategyCatalog() {}

  /** True if {@code Strategies.byName} is on the class path. */
  public static boolean hasCatalog() {
    return byNameMethod() != null;
  }

  /**
   * The named strategy; without the catalog, {@code proportional} only. Throws for names that
   * cannot be made.
   */
  public static PartitionStrategy byName(String name) {
    Method m = byNameMethod();
    if (m != null) {
      try {
        return (PartitionStrategy) m.invoke(null, name);
      } catch (ReflectiveOperationException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw new IllegalArgumentException("strategy " + name + ": " + cause.getMessage(), cause);
      }
    }
    if (name.equals("proportional")) {
      return new ProportionalStrategy();
    }
    throw new IllegalArgumentException("strategy " + name
        + " is not available (io.edgedi.planner.plan.Strategies missing; only proportional)");
  }

  private static Method byNameMethod() {
    try {
      return Class.forName(PLAN_PACKAGE + "Strategies").getMethod("byName", String.class);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /**
   * Microseconds per plan for 8, 64 and 1000 workers from {@code PlanTiming.microsPerPlan}, or
   * null if that class is missing.
   */
  public static Map<String, Object> planMicros(PartitionStrategy strategy, ModelSpec model, int iterations) {
    Method m = null;
    try {
      for (Method c : Class.forName(PLAN_PACKAGE + "PlanTiming").getMethods()) {
        if (c.getName().equals("microsPerPlan") && c.getParameterCount() == 4) {
          m = c;
        }
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
    if (m == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (int n : new int[] {8, 64, 1000}) {
      try {
        Object v = m.invoke(null, strategy, model, n, n >= 1000 ? Math.max(1, iterations / 10) : iterations);
        out.put(Integer.toString(n), v instanceof Number num ? BenchMath.round(num.doubleValue(), 1) : v);
      } catch (ReflectiveOperationException | RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        out.put(Integer.toString(n), "failed: " + cause);
      }
    }
    return out;
  }
}
