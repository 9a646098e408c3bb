package io.edgedi.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentTest {

  @Test
  void scarPausesBeforeEveryAttention() {
    ModelSpec m = ModelZoo.byName("vgg16-scar", 32, 32);
    List<Segment> segs = Segment.of(m, new Stage(1, m.size()));
    assertEquals(13, segs.size());
    for (Segment s : segs.subList(0, 12)) {
      assertEquals(s.to() - 1, s.reduceNode());
      assertEquals("attention", m.node(s.to()).name().replaceAll(".*_", ""));
    }
  }

  @Test
  void scarpPausesOncePerLevelRightAfterTheLevelInput() {
    ModelSpec m = ModelZoo.byName("vgg16-scarp", 32, 32);
    List<Segment> segs = Segment.of(m, new Stage(1, m.size()));
    assertEquals(6, segs.size());
    assertEquals(new Segment(1, 2, 1), segs.get(0));
    for (Segment s : segs.subList(1, 5)) {
      assertEquals(s.to() - 1, s.reduceNode());
      assertTrue(m.node(s.reduceNode()).name().startsWith("pool"), m.node(s.reduceNode()).name());
    }
    assertEquals(Segment.NONE, segs.get(5).reduceNode());
  }

  @Test
  void aStageThatStartsAtItsLevelReducesBeforeAnyTfRun() {
    ModelSpec m = ModelZoo.byName("resnet18-scarp", 64, 64);
    List<Integer> cuts = m.cutPoints();
    // Stem, stem pool, then one stage per residual layer.
    assertEquals(List.of(1, 2, 3), cuts.subList(0, 3));
    for (int i = 2; i + 1 < cuts.size(); i++) {
      Stage layer = new Stage(cuts.get(i), cuts.get(i + 1));
      List<Segment> segs = Segment.of(m, layer);
      assertEquals(
          List.of(
              new Segment(layer.from(), layer.from(), layer.inputNode()),
              new Segment(layer.from(), layer.to(), Segment.NONE)),
          segs);
      assertEquals(1, Segment.runs(m, layer));
      assertEquals(List.of(layer.inputNode()), ModelCost.reductions(m, layer.from(), layer.to()));
    }
  }
}
