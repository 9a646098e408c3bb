package io.edgedi.planner.plan;

import io.edgedi.inference.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Where fused stages end by default: at the first cut point after each downsampling. Fusing
 * across a downsampling doubles the halo per layer below it; cutting more often resends maps.
 */
public final class StageCuts {
  private StageCuts() {}

  /** Stage end boundaries, the last one being {@code model.size()}. */
  public static List<Integer> atDownsampling(ModelSpec model) {
    List<Integer> out = new ArrayList<>();
    int stageInputHeight = model.shape(0).height();
    for (int b : model.cutPoints()) {
      if (b == 1) {
        continue;
      }
      if (b == model.size()) {
        out.add(b);
        break;
      }
      int h = model.shape(b - 1).height();
      if (h < stageInputHeight) {
        out.add(b);
        stageInputHeight = h;
      }
    }
    return out;
  }
}
