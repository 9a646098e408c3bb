package io.edgedi.planner.plan;

import io.edgedi.inference.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Where fused stages end by default. One stage per resolution: fusing across a downsampling
 * doubles the halo of every layer before it, cutting more often resends maps. Within a
 * resolution the cut goes where the map is smallest (in a SCAR model, after a 1x1 reduction, an
 * eighth of the channels), since the leader receives and resends the map at every cut.
 */
public final class StageCuts {
  private StageCuts() {}

  /** Stage end boundaries at the smallest map of each resolution; the last is {@code model.size()}. */
  public static List<Integer> atSmallestMaps(ModelSpec model) {
    List<Integer> cuts = model.cutPoints();
    List<Integer> down = atDownsampling(model);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < down.size(); i++) {
      int from = down.get(i);
      int until = i + 1 < down.size() ? down.get(i + 1) : model.size();
      int best = from;
      for (int b : cuts) {
        if (b > from && b < until && model.shape(b - 1).height() == model.shape(from - 1).height()
            && model.shape(b - 1).elements() < model.shape(best - 1).elements()) {
          best = b;
        }
      }
      if (out.isEmpty() || best > out.get(out.size() - 1)) {
        out.add(best);
      }
    }
    if (out.get(out.size() - 1) != model.size()) {
      out.add(model.size());
    }
    return out;
  }

  /** Stage end boundaries at the first cut after each downsampling; the last is {@code model.size()}. */
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
