package io.edgedi.planner.plan;

import java.util.List;
import java.util.Locale;

/** The planners by name, for {@code --planner NAME}. */
public final class Strategies {
  /** Every name {@link #byName} knows, baselines first. */
  public static final List<String> NAMES = List.of("equal", "proportional", "edgedi", "optimal");

  public static final String DEFAULT = "optimal";

  private Strategies() {}

  /**
   * A new strategy: {@code equal}, {@code proportional}, {@code edgedi} or {@code optimal}
   * (case-insensitive; null or blank means {@value #DEFAULT}).
   *
   * @throws IllegalArgumentException for any other name, listing the known ones
   */
  public static PartitionStrategy byName(String name) {
    String n = name == null || name.isBlank() ? DEFAULT : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "equal" -> new EqualStrategy();
      case "proportional" -> new ProportionalStrategy();
      case "edgedi" -> new EdgeDiStrategy();
      case "optimal" -> new OptimalStrategy();
      default ->
          throw new IllegalArgumentException(
              "unknown planner '" + name + "'; known: " + String.join(", ", NAMES));
    };
  }
}
