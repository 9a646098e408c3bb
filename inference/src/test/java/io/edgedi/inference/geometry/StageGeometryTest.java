package io.edgedi.inference.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageGeometryTest {

  private static ModelSpec chain(int height, Op... ops) {
    List<Node> nodes =
        new java.util.ArrayList<>(List.of(new Node(0, "input", new Op.Input(1), List.of())));
    for (Op op : ops) {
      nodes.add(new Node(nodes.size(), "n" + nodes.size(), op, List.of(nodes.size() - 1)));
    }
    return new ModelSpec("chain", height, 8, List.of("a", "b"), nodes);
  }

  @Test
  void threeByThreeConvNeedsOneHaloRowEachSideAndPadsOnlyAtTheBorder() {
    ModelSpec m = chain(10, new Op.Conv(3, 1, 1, 1, 4, false, true));
    StageGeometry g = StageGeometry.of(m, new Stage(1, 2), StageGeometry.bandsOf(3, 4, 3));
    assertEquals(new RowRange(0, 4), g.inputRows(0));
    assertEquals(new RowRange(2, 8), g.inputRows(1));
    assertEquals(new RowRange(6, 10), g.inputRows(2));
    // Unclipped windows reach outside the map only at the true border.
    assertEquals(new RowRange(-1, 4), RowWindow.inputRows(m.node(1).op(), new RowRange(0, 3)));
    assertEquals(new RowRange(6, 11), RowWindow.inputRows(m.node(1).op(), new RowRange(7, 10)));
  }

  @Test
  void strideTwoOnOddHeightDropsTheLastRowLikeValidPooling() {
    ModelSpec m = chain(25, new Op.MaxPool(2, 2, 0));
    assertEquals(12, m.shape(1).height());
    StageGeometry g = StageGeometry.of(m, new Stage(1, 2), StageGeometry.bandsOf(1, 10, 1));
    assertEquals(new RowRange(0, 2), g.inputRows(0));
    assertEquals(new RowRange(2, 22), g.inputRows(1));
    assertEquals(new RowRange(22, 24), g.inputRows(2));
  }

  @Test
  void stridedPaddedConvOnOddHeight() {
    ModelSpec m = chain(13, new Op.Conv(3, 2, 1, 1, 2, false, false));
    assertEquals(7, m.shape(1).height());
    StageGeometry g = StageGeometry.of(m, new Stage(1, 2), StageGeometry.bandsOf(1, 5, 1));
    assertEquals(new RowRange(0, 2), g.inputRows(0)); // row -1 is padding
    assertEquals(new RowRange(1, 12), g.inputRows(1));
    assertEquals(new RowRange(11, 13), g.inputRows(2)); // needs rows 11..13, row 13 is padding
  }

  @Test
  void fusedLayersGrowTheHaloLayerByLayer() {
    Op conv = new Op.Conv(3, 1, 1, 1, 1, false, true);
    ModelSpec m = chain(20, conv, conv, conv);
    StageGeometry g = StageGeometry.of(m, new Stage(1, 4), StageGeometry.bandsOf(10, 10));
    assertEquals(new RowRange(0, 13), g.inputRows(0));
    assertEquals(new RowRange(7, 20), g.inputRows(1));
    assertEquals(new RowRange(0, 11), g.computed(0, 2));
    assertEquals(new RowRange(0, 12), g.computed(0, 1));
    assertEquals(10 + 11 + 12, g.macs(0) / 9 / 8);
  }

  @Test
  void oneRowBandsEverywhere() {
    ModelSpec m = ModelZoo.byName("vgg16", 32, 32);
    int rows = m.shape(m.lastNode()).height();
    int[] ones = new int[rows];
    java.util.Arrays.fill(ones, 1);
    StageGeometry g = StageGeometry.of(m, new Stage(1, m.size()), StageGeometry.bandsOf(ones));
    assertEquals(new RowRange(0, 32), g.inputRows(0));
  }

  @Test
  void residualBlockNeedsTheSpanOfBothBranches() {
    ModelSpec m = ModelZoo.byName("resnet18", 64, 64);
    int add = -1;
    for (Node n : m.nodes()) {
      if (n.name().equals("layer2_0_add")) {
        add = n.id();
      }
    }
    int blockInput = m.node(add).inputs().get(1);
    blockInput = m.node(blockInput).inputs().get(0); // the downsample conv's input
    Stage stage = new Stage(blockInput + 1, add + 1);
    StageGeometry g = StageGeometry.of(m, stage, StageGeometry.bandsOf(4, 4));
    // Branch: 3x3 stride 2 then 3x3 from output rows [4,8) reads input [5,16); the 1x1 stride-2
    // shortcut reads [8,15), inside that span. Worker 0: branch [0,10), shortcut [0,7).
    assertEquals(new RowRange(5, 16), g.inputRows(1));
    assertEquals(new RowRange(0, 10), g.inputRows(0));
  }

  @Test
  void attentionOwnershipPartitionsTheWholeMap() {
    ModelSpec m = ModelZoo.byName("vgg13-scar", 64, 64);
    List<Integer> cuts = m.cutPoints();
    Stage stage = new Stage(1, m.size());
    int rows = m.shape(m.lastNode()).height();
    StageGeometry g = StageGeometry.of(m, stage, StageGeometry.bandsOf(1, rows - 1));
    for (Node n : m.nodes()) {
      if (n.op() instanceof Op.ChannelAttention) {
        int x = n.inputs().get(0);
        RowRange a = g.owned(0, x);
        RowRange b = g.owned(1, x);
        assertEquals(0, a.start());
        assertEquals(a.end(), b.start());
        assertEquals(m.shape(x).height(), b.end());
        assertTrue(g.computed(0, x).contains(a) && g.computed(1, x).contains(b));
      }
    }
    assertTrue(cuts.size() > 5);
  }

  @Test
  void aSeparateGateSourceIsOwnedButAsksForNoExtraRows() {
    // resnet18's layer 2 gates from its input, which has twice layer 2's rows: a row-for-row
    // read of it would pull in rows the strided convs never need.
    ModelSpec scar = ModelZoo.byName("resnet18-scar", 64, 64);
    ModelSpec scarp = ModelZoo.byName("resnet18-scarp", 64, 64);
    int first = -1;
    int last = -1;
    for (Node n : scarp.nodes()) {
      if (n.name().equals("layer2_0_a_reduce")) {
        first = n.id();
      }
      if (n.name().equals("layer2_1_add")) {
        last = n.id();
      }
    }
    Stage layer2 = new Stage(first, last + 1);
    int source = first - 1;
    int rows = scarp.shape(last).height();
    for (List<RowRange> bands :
        List.of(
            StageGeometry.bandsOf(1, rows - 1),
            StageGeometry.bandsOf(3, 1, 2, rows - 6),
            StageGeometry.bandsOf(rows - 1, 1))) {
      StageGeometry p = StageGeometry.of(scarp, layer2, bands);
      StageGeometry q = StageGeometry.of(scar, layer2, bands);
      int next = 0;
      for (int w = 0; w < bands.size(); w++) {
        assertEquals(q.inputRows(w), p.inputRows(w), "band " + w + " of " + bands);
        RowRange own = p.owned(w, source);
        assertEquals(next, own.start());
        next = own.end();
        assertTrue(p.inputRows(w).contains(own));
      }
      assertEquals(scarp.shape(source).height(), next);
    }
  }

  @Test
  void bandsThatDoNotCoverTheMapAreRefused() {
    ModelSpec m = chain(10, new Op.Conv(3, 1, 1, 1, 1, false, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> StageGeometry.of(m, new Stage(1, 2), StageGeometry.bandsOf(3, 3)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            StageGeometry.of(m, new Stage(1, 2), List.of(new RowRange(0, 5), new RowRange(6, 10))));
    assertThrows(
        IllegalArgumentException.class,
        () -> StageGeometry.of(m, new Stage(1, 2), StageGeometry.bandsOf(10, 0)));
  }

  @Test
  void stagesMustStartAndEndWhereOnlyOneMapIsLive() {
    ModelSpec m = ModelZoo.byName("resnet18", 64, 64);
    int insideBlock = -1;
    for (Node n : m.nodes()) {
      if (n.name().equals("layer1_0_b")) {
        insideBlock = n.id();
      }
    }
    int cut = insideBlock;
    assertTrue(!m.isCut(cut));
    assertThrows(IllegalArgumentException.class, () -> new Stage(1, cut).checkAgainst(m));
  }
}
