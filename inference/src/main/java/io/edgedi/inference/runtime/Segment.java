package io.edgedi.inference.runtime;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of a stage a worker runs without waiting: nodes {@code [from, to)}. A stage splits right
 * after each map that a channel attention of the stage needs the whole-map sums of (its gate
 * source); the segment that ends there reports the partial sum of that map ({@code reduceNode}),
 * and later segments apply the gates computed from the whole sums. For SCAR that is right before
 * every attention; for scarp once per level, and when the source is the stage input itself the
 * first segment is empty ({@code from == to}): the sum is taken of the input band before any TF
 * run.
 */
public record Segment(int from, int to, int reduceNode) {
  public static final int NONE = -1;

  public boolean reduces() {
    return reduceNode != NONE;
  }

  /** True for the segment that only sums the stage input (no nodes to run). */
  public boolean empty() {
    return from == to;
  }

  public static List<Segment> of(ModelSpec model, Stage stage) {
    List<Segment> out = new ArrayList<>();
    Set<Integer> reduced = new HashSet<>();
    int start = stage.from();
    for (int n = stage.from(); n < stage.to(); n++) {
      if (!(model.node(n).op() instanceof Op.ChannelAttention)) {
        continue;
      }
      int source = model.gateSource(n);
      if (reduced.add(source)) {
        if (source < stage.inputNode()) {
          throw new IllegalArgumentException(
              "stage "
                  + stage
                  + " of "
                  + model.name()
                  + " does not hold node "
                  + source
                  + ", the gate source of "
                  + model.node(n).name());
        }
        int end = Math.max(stage.from(), source + 1);
        out.add(new Segment(start, end, source));
        start = end;
      }
    }
    out.add(new Segment(start, stage.to(), NONE));
    return out;
  }

  /** TF runs a band of this stage takes (a sum of the stage input needs none). */
  public static int runs(ModelSpec model, Stage stage) {
    int runs = 0;
    for (Segment s : of(model, stage)) {
      runs += s.empty() ? 0 : 1;
    }
    return runs;
  }
}
