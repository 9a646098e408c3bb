package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import java.util.List;

/** One stage of a frame's plan: its bands and the worker computing each (same order). */
public record AssignedStage(
    Stage stage, List<RowRange> bands, List<String> workers, List<Double> predictedMillis) {
  public AssignedStage {
    bands = List.copyOf(bands);
    workers = List.copyOf(workers);
    predictedMillis = List.copyOf(predictedMillis);
    if (bands.size() != workers.size() || bands.size() != predictedMillis.size()) {
      throw new IllegalArgumentException("each band needs exactly one worker and one prediction");
    }
  }

  /** Band starts followed by the stage output height, as a FrameTask carries them. */
  public List<Integer> bandStarts() {
    List<Integer> out = new java.util.ArrayList<>();
    for (RowRange b : bands) {
      out.add(b.start());
    }
    out.add(bands.get(bands.size() - 1).end());
    return out;
  }
}
