package io.edgedi.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ModelZooTest {

  @Test
  void nineModelsByExactName() {
    assertEquals(9, ModelZoo.NAMES.size());
    for (String name : ModelZoo.NAMES) {
      ModelSpec m = ModelZoo.byName(name);
      assertEquals(name, m.name());
      assertEquals(6, m.classes());
      assertEquals(new TensorShape(200, 200, 1), m.inputShape());
    }
    assertThrows(IllegalArgumentException.class, () -> ModelZoo.byName("alexnet"));
  }

  @Test
  void trunkOutputShapesAt200() {
    assertEquals(new TensorShape(6, 6, 512), last("vgg16"));
    assertEquals(new TensorShape(6, 6, 512), last("vgg13-scar"));
    assertEquals(new TensorShape(7, 7, 512), last("resnet18"));
    assertEquals(new TensorShape(7, 7, 512), last("resnet18-scar"));
  }

  private static TensorShape last(String name) {
    ModelSpec m = ModelZoo.byName(name);
    return m.shape(m.lastNode());
  }

  @Test
  void compactVgg16NeedsAtMostAnEighthOfTheMacs() {
    long big = ModelCost.macs(ModelZoo.byName("vgg16"));
    long small = ModelCost.macs(ModelZoo.byName("vgg16-scar"));
    assertTrue(small * 8 <= big, small + " vs " + big);
    // A 3x3 conv 64->64 at 200x200 alone: 9*64*64*40000 MACs.
    ModelSpec v = ModelZoo.byName("vgg16");
    assertEquals(9L * 64 * 64 * 200 * 200, ModelCost.macs(v, 2));
  }

  @Test
  void syncPointsCountAttentionsPlusTheHead() {
    assertEquals(1, ModelCost.syncPoints(ModelZoo.byName("vgg16")));
    assertEquals(13, ModelCost.syncPoints(ModelZoo.byName("vgg16-scar")));
    assertEquals(17, ModelCost.syncPoints(ModelZoo.byName("resnet18-scar")));
  }

  @Test
  void scarBlockHasTheEdgediShape() {
    ModelSpec m = ModelZoo.byName("vgg16-scar");
    Node reduce = m.nodes().stream().filter(n -> n.name().equals("conv2_1_reduce")).findFirst().orElseThrow();
    assertEquals(new Op.Conv(1, 1, 0, 64, 16, false, false), reduce.op());
    assertEquals(new Op.Conv(3, 1, 1, 16, 16, true, true), m.node(reduce.id() + 1).op());
    assertEquals(new Op.ChannelAttention(16), m.node(reduce.id() + 2).op());
    assertEquals(new Op.Conv(1, 1, 0, 16, 128, true, true), m.node(reduce.id() + 3).op());
  }

  @Test
  void residualBlocksAreNotCutInside() {
    ModelSpec m = ModelZoo.byName("resnet18");
    // stem, pool, then one cut after each of the 8 basic blocks.
    assertEquals(java.util.List.of(1, 2, 3, 6, 9, 13, 16, 20, 23, 27, 30), m.cutPoints());
  }

  @Test
  void specSurvivesJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ModelSpec m = ModelZoo.byName("resnet18-scar");
    ModelSpec back = json.readValue(json.writeValueAsString(m), ModelSpec.class);
    assertEquals(m, back);
    assertEquals(m.cutPoints(), back.cutPoints());
  }
}
