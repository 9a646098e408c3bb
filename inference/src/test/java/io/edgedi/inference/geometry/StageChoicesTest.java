package io.edgedi.inference.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stage ends a planner may choose: the default cuts, every level start, nothing else. */
class StageChoicesTest {
  @Test
  void choicesHoldTheDefaultCutsAndLevelStartsBetweenOneAndTheEnd() {
    for (String name : ModelZoo.NAMES) {
      ModelSpec m = ModelZoo.byName(name);
      List<Integer> c = StageCuts.choices(m);
      assertEquals(1, c.get(0), name);
      assertEquals(m.size(), c.get(c.size() - 1), name);
      assertTrue(c.containsAll(StageCuts.atSmallestMaps(m)), name);
      assertTrue(c.containsAll(StageCuts.atDownsampling(m)), name);
      for (int i = 0; i + 1 < c.size(); i++) {
        assertTrue(c.get(i) < c.get(i + 1) && m.isCut(c.get(i)), name + " " + c);
      }
      assertTrue(
          c.size() < m.cutPoints().size(),
          name + ": " + c.size() + " of " + m.cutPoints().size() + " cut points");
    }
    assertEquals(List.of(1, 4, 7, 11, 15, 19), StageCuts.choices(ModelZoo.byName("vgg16")));
  }

  @Test
  void stagesBetweenAreEveryPairOnce() {
    List<Stage> s = StageCuts.stagesBetween(List.of(1, 4, 7, 9));
    assertEquals(6, s.size());
    assertEquals(new Stage(1, 4), s.get(0));
    assertEquals(new Stage(7, 9), s.get(5));
    assertEquals(6, s.stream().distinct().count());
  }
}
