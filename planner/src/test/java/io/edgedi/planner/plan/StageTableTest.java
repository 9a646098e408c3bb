package io.edgedi.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StageTableTest {

  @Test
  void pricesEveryBandExactlyAsStageGeometryDoes() {
    Random rnd = new Random(3);
    for (String name : ModelZoo.NAMES) {
      for (int size : new int[] {200, 37}) {
        ModelSpec m = ModelZoo.byName(name, size, size);
        List<Integer> cuts = m.cutPoints();
        for (int trial = 0; trial < 60; trial++) {
          int i = rnd.nextInt(cuts.size() - 1);
          int j = i + 1 + rnd.nextInt(cuts.size() - 1 - i);
          Stage stage = new Stage(cuts.get(i), cuts.get(j));
          StageTable t = StageTable.of(m, stage);
          int rows = m.shape(stage.outputNode()).height();
          assertEquals(rows, t.rows());
          List<RowRange> bands = randomBands(rnd, rows, 1 + rnd.nextInt(Math.min(rows, 7)));
          StageGeometry geo = StageGeometry.of(m, stage, bands);
          for (int w = 0; w < bands.size(); w++) {
            RowRange b = bands.get(w);
            String what = name + "@" + size + " " + stage + " bands " + bands + " band " + w;
            assertEquals(geo.macs(w), (long) t.macs(b.start(), b.end()), what);
            assertEquals(geo.inputRows(w), t.inputRange(b.start(), b.end()), what);
          }
        }
      }
    }
  }

  static List<RowRange> randomBands(Random rnd, int rows, int k) {
    List<Integer> edges = new ArrayList<>();
    while (edges.size() < k - 1) {
      int p = 1 + rnd.nextInt(rows - 1);
      if (!edges.contains(p)) {
        edges.add(p);
      }
    }
    edges.sort(Integer::compare);
    List<RowRange> out = new ArrayList<>();
    int s = 0;
    for (int p : edges) {
      out.add(new RowRange(s, p));
      s = p;
    }
    out.add(new RowRange(s, rows));
    return out;
  }
}
