package io.edgedi.inference.runtime;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a stage a worker runs without waiting: nodes {@code [from, to)}. A stage splits
 * before every channel attention; a segment that ends there also reports the partial sum of the
 * attention's input ({@code reduceNode}, the node whose map is summed), and the next segment
 * starts with the attention, gated from the whole map's sums.
 */
public record Segment(int from, int to, int reduceNode) {
  public static final int NONE = -1;

  public boolean reduces() {
    return reduceNode != NONE;
  }

  public static List<Segment> of(ModelSpec model, Stage stage) {
    List<Segment> out = new ArrayList<>();
    int start = stage.from();
    for (int n = stage.from(); n < stage.to(); n++) {
      if (model.node(n).op() instanceof Op.ChannelAttention) {
        out.add(new Segment(start, n, model.node(n).inputs().get(0)));
        start = n;
      }
    }
    out.add(new Segment(start, stage.to(), NONE));
    return out;
  }
}
