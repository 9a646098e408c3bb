package io.edgedi.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentGeometryTest {

  private static int id(ModelSpec m, String name) {
    return m.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow().id();
  }

  @Test
  void aChainNeedsOnlyItsBorderPaddingsAndTheReduceCrop() {
    ModelSpec m = ModelZoo.byName("vgg16-scar", 64, 64);
    // conv1_1 (3x3), conv1_2_reduce (1x1), conv1_2_spatial (3x3), ending before the attention.
    Stage stage = new Stage(1, id(m, "conv1_2_attention") + 1);
    Segment seg = Segment.of(m, stage).get(0);
    SegmentGeometry layout = new SegmentGeometry(m, seg);
    for (int n = seg.from(); n < seg.to(); n++) {
      assertFalse(
          layout.cropped(n, 0), m.node(n).name() + " reads the only reader's rows: no crop");
    }
    assertTrue(layout.padded(id(m, "conv1_1")));
    assertFalse(layout.padded(id(m, "conv1_2_reduce")), "a 1x1 conv never pads");
    assertTrue(layout.padded(id(m, "conv1_2_spatial")));
    assertEquals(3 * SegmentGeometry.SLOT, layout.length(), "two paddings and the owned rows");
    StageGeometry g = StageGeometry.of(m, stage, StageGeometry.bandsOf(32, 32));
    int[] top = layout.values(g, 0);
    // conv1_1 of the top band pads one row on top, none below, one column each side.
    assertEquals(
        List.of(0, 0, 1, 0, 1, 1, 0, 0),
        List.of(top[0], top[1], top[2], top[3], top[4], top[5], top[6], top[7]));
  }

  @Test
  void aResidualBlockInputIsCroppedForEachBranch() {
    ModelSpec m = ModelZoo.byName("resnet18-scar", 64, 64);
    int reduce = id(m, "layer2_0_a_reduce");
    int down = id(m, "layer2_0_down");
    SegmentGeometry layout = new SegmentGeometry(m, new Segment(reduce, down + 1, Segment.NONE));
    assertTrue(layout.cropped(reduce, 0), "the block input feeds two branches");
    assertTrue(layout.cropped(down, 0), "the block input feeds two branches");
    assertFalse(layout.cropped(reduce + 1, 0), "the 1x1's output has one reader");
  }
}
