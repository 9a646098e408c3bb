package io.edgedi.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  void syncPointsCountReductionsPlusTheHead() {
    assertEquals(1, ModelCost.syncPoints(ModelZoo.byName("vgg16")));
    assertEquals(13, ModelCost.syncPoints(ModelZoo.byName("vgg16-scar")));
    assertEquals(17, ModelCost.syncPoints(ModelZoo.byName("resnet18-scar")));
    // One reduction per resolution level (5 for VGG, 4 residual layers for ResNet-18).
    assertEquals(6, ModelCost.syncPoints(ModelZoo.byName("vgg13-scarp")));
    assertEquals(6, ModelCost.syncPoints(ModelZoo.byName("vgg16-scarp")));
    assertEquals(5, ModelCost.syncPoints(ModelZoo.byName("resnet18-scarp")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"vgg13-scarp", "vgg16-scarp", "resnet18-scarp"})
  void everyStageBetweenCutPointsNeedsAtMostOneReductionOfItsOwnInput(String name) {
    ModelSpec m = ModelZoo.byName(name);
    List<Integer> cuts = m.cutPoints();
    int withReduction = 0;
    for (int i = 0; i + 1 < cuts.size(); i++) {
      int from = cuts.get(i);
      int to = cuts.get(i + 1);
      List<Integer> sources = ModelCost.reductions(m, from, to);
      assertTrue(sources.size() <= 1, name + " stage [" + from + "," + to + ") reduces " + sources);
      if (!sources.isEmpty() && sources.get(0) == from - 1) {
        withReduction++;
      }
    }
    assertEquals(
        ModelCost.syncPoints(m) - 1,
        withReduction,
        name
            + ": every level's reduction should be of the input of the stage that starts the level");
  }

  @ParameterizedTest
  @ValueSource(strings = {"vgg13", "vgg16", "resnet18"})
  void scarpDiffersFromScarOnlyInWhereTheGatesLook(String base) {
    ModelSpec scar = ModelZoo.byName(base + "-scar");
    ModelSpec scarp = ModelZoo.byName(base + "-scarp");
    assertEquals(scar.size(), scarp.size());
    for (int i = 0; i < scar.size(); i++) {
      Node a = scar.node(i);
      Node b = scarp.node(i);
      assertEquals(a.name(), b.name());
      assertEquals(a.op(), b.op());
      assertEquals(scar.shape(i), scarp.shape(i));
      if (a.op() instanceof Op.ChannelAttention) {
        assertEquals(a.inputs().get(0), b.inputs().get(0));
        assertEquals(2, b.inputs().size(), b.name() + " should read a gate source");
        assertTrue(scarp.gateSource(i) < i - 2, b.name() + " gates from inside its own block");
      } else {
        assertEquals(a.inputs(), b.inputs());
      }
    }
    assertTrue(scarp.cutPoints().size() < scar.cutPoints().size());
  }

  @Test
  void scarpGateSourcesAreTheLevelInputs() {
    ModelSpec v = ModelZoo.byName("vgg16-scarp");
    assertEquals("conv1_1", v.node(v.gateSource(id(v, "conv1_2_attention"))).name());
    assertEquals("pool1", v.node(v.gateSource(id(v, "conv2_1_attention"))).name());
    assertEquals("pool1", v.node(v.gateSource(id(v, "conv2_2_attention"))).name());
    assertEquals("pool4", v.node(v.gateSource(id(v, "conv5_3_attention"))).name());
    ModelSpec r = ModelZoo.byName("resnet18-scarp");
    assertEquals("stem_pool", r.node(r.gateSource(id(r, "layer1_1_b_attention"))).name());
    // A strided layer gates from its input, at the previous resolution.
    assertEquals("layer1_1_add", r.node(r.gateSource(id(r, "layer2_0_a_attention"))).name());
    assertEquals("layer3_1_add", r.node(r.gateSource(id(r, "layer4_1_b_attention"))).name());
    // The dense kernel maps source channels to the block's channels.
    assertEquals(64L * 16 + 16, ModelCost.params(v, id(v, "conv2_1_attention")));
  }

  private static int id(ModelSpec m, String name) {
    return m.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow().id();
  }

  @Test
  void scarBlockHasTheEdgediShape() {
    ModelSpec m = ModelZoo.byName("vgg16-scar");
    Node reduce =
        m.nodes().stream().filter(n -> n.name().equals("conv2_1_reduce")).findFirst().orElseThrow();
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

  @ParameterizedTest
  @ValueSource(strings = {"resnet18-scar", "vgg16-scarp"})
  void specSurvivesJson(String name) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ModelSpec m = ModelZoo.byName(name);
    ModelSpec back = json.readValue(json.writeValueAsString(m), ModelSpec.class);
    assertEquals(m, back);
    assertEquals(m.cutPoints(), back.cutPoints());
  }

  @Test
  void onlyAnAttentionMayHaveAGateSource() {
    List<Node> nodes =
        List.of(
            new Node(0, "input", new Op.Input(1), List.of()),
            new Node(1, "c", new Op.Conv(3, 1, 1, 1, 4, false, true), List.of(0)),
            new Node(2, "p", new Op.MaxPool(2, 2, 0), List.of(1, 0)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ModelSpec("bad", 8, 8, List.of("a"), nodes));
    assertTrue(e.getMessage().contains("needs 1 inputs"), e.getMessage());
  }
}
