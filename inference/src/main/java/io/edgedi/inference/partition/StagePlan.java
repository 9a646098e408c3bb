package io.edgedi.inference.partition;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import java.util.List;

/** One fused stage and the output band of each worker taking part, top to bottom. */
public record StagePlan(Stage stage, List<RowRange> bands) {
  public StagePlan {
    bands = List.copyOf(bands);
  }
}
