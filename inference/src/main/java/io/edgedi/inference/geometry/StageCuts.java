package io.edgedi.inference.geometry;

import io.edgedi.inference.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where fused stages may end. By default: One stage per resolution: fusing across a downsampling
 * doubles the halo of every layer before it, cutting more often resends maps. Within a resolution
 * the cut goes where the map is smallest (in a SCAR model, after a 1x1 reduction, an eighth of the
 * channels), since the leader receives and resends the map at every cut.
 *
 * <p>{@link #choices} is the set a planner may choose stage ends from and every worker builds (and
 * runs once) before it reports ready: a segment graph built on a tile's arrival costs seconds on a
 * Pi (graph construction and TF's first run), which would make that frame late and the device look
 * slow. All cut points are too many to build ahead: a model without attention runs each stage as
 * one graph holding its weights as constants, so every pair of cut points is a graph (171 for
 * vgg16, its weights 66 times over). Per resolution level the start of the level and the smallest
 * map in it keep the default cuts and every fusion of whole levels; that is still 15 graphs for
 * vgg16 (its weights 6.6 times over), measured at 2.9 GB of resident memory in one worker after
 * warming.
 */
public final class StageCuts {
  private StageCuts() {}

  /**
   * Stage boundaries a planner may use, from 1 to {@code model.size()}: the level starts ({@link
   * #atDownsampling}) and the smallest maps ({@link #atSmallestMaps}). Any stage between two of
   * them, and only those, is one a worker has built ahead ({@link #stagesBetween}).
   */
  public static List<Integer> choices(ModelSpec model) {
    TreeSet<Integer> out = new TreeSet<>(atSmallestMaps(model));
    out.addAll(atDownsampling(model));
    out.add(1);
    out.add(model.size());
    return List.copyOf(out);
  }

  /** Every stage from one boundary to a later one, shortest first from each start. */
  public static List<Stage> stagesBetween(List<Integer> boundaries) {
    List<Stage> out = new ArrayList<>();
    for (int i = 0; i < boundaries.size(); i++) {
      for (int j = i + 1; j < boundaries.size(); j++) {
        out.add(new Stage(boundaries.get(i), boundaries.get(j)));
      }
    }
    return out;
  }

  /**
   * Stage end boundaries at the smallest map of each resolution; the last is {@code model.size()}.
   */
  public static List<Integer> atSmallestMaps(ModelSpec model) {
    List<Integer> cuts = model.cutPoints();
    List<Integer> down = atDownsampling(model);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < down.size(); i++) {
      int from = down.get(i);
      int until = i + 1 < down.size() ? down.get(i + 1) : model.size();
      int best = from;
      for (int b : cuts) {
        if (b > from
            && b < until
            && model.shape(b - 1).height() == model.shape(from - 1).height()
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

  /**
   * Stage end boundaries at the first cut after each downsampling; the last is {@code
   * model.size()}.
   */
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
