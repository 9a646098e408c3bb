package io.edgedi.inference.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageCutsTest {

  @Test
  void vggCutsOncePerResolution() {
    ModelSpec m = ModelZoo.byName("vgg16");
    List<Integer> cuts = StageCuts.atDownsampling(m);
    assertEquals(m.size(), cuts.get(cuts.size() - 1));
    assertEquals(5, cuts.size());
    for (int i = 0; i + 1 < cuts.size(); i++) {
      assertEquals("pool" + (i + 1), m.node(cuts.get(i) - 1).name());
    }
  }

  @Test
  void scarModelsCutAfterAReductionWhereTheMapIsSmallest() {
    ModelSpec m = ModelZoo.byName("vgg16-scar");
    List<Integer> cuts = StageCuts.atSmallestMaps(m);
    assertEquals(m.size(), cuts.get(cuts.size() - 1));
    assertEquals("conv2_1_reduce", m.node(cuts.get(0) - 1).name());
    for (int i = 0; i + 1 < cuts.size(); i++) {
      int before = cuts.get(i) - 1;
      assertTrue(
          m.shape(before).channels() * 4 <= m.shape(before - 1).channels(),
          m.node(before).name() + " is not a reduction");
    }
  }

  @Test
  void everyCutIsValidForEveryModel() {
    for (String name : ModelZoo.NAMES) {
      ModelSpec m = ModelZoo.byName(name);
      int prev = 1;
      for (int c : StageCuts.atSmallestMaps(m)) {
        assertTrue(m.isCut(c) && c > prev, name + " cut " + c);
        prev = c;
      }
    }
  }
}
