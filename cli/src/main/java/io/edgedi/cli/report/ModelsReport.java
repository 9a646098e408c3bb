package io.edgedi.cli.report;

import java.util.List;

/** What {@code edgedi models --json} writes; docs/results.md's model table is made from it. */
public record ModelsReport(String input, int threads, List<Model> models) {

  /** One model: its size and cost, and its inference and per-TF-run times measured here. */
  public record Model(
      String model,
      long params,
      long macs,
      int syncPoints,
      int nodes,
      int cutPoints,
      double inferMillis,
      int tfRunsPerImage,
      double runOverheadMillis,
      TrunkMillis runOverheadTrunkMillis,
      double oneRowRunMillis,
      String oneRowRunStage) {}

  /** A trunk run's time at two widths, from which the per-run overhead is the intercept. */
  public record TrunkMillis(double width32, double width64) {}
}
