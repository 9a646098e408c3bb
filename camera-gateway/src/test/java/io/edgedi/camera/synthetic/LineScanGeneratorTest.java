package io.edgedi.camera.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineScanGeneratorTest {
  private final LineScanGenerator gen = new LineScanGenerator();

  @Test
  void frameHasRequestedSizeAndIsDeterministic() {
    LineScanFrame a = gen.generate(11L, 512);
    assertEquals(LineScanGenerator.DEFAULT_WIDTH, a.image().width());
    assertEquals(512, a.image().height());
    LineScanFrame b = new LineScanGenerator().generate(11L, 512);
    assertEquals(a.image(), b.image());
    assertEquals(a.defects(), b.defects());
    assertNotEquals(a.image(), gen.generate(12L, 512).image());
  }

  @Test
  void boxesLieInsideTheFrameAndDoNotOverlap() {
    for (long seed = 0; seed < 6; seed++) {
      LineScanFrame f = gen.generate(seed, 1024);
      assertFalse(f.defects().isEmpty(), "seed " + seed + " produced no defects");
      Box frame = new Box(0, 0, f.image().width(), f.image().height());
      List<LabelledDefect> d = f.defects();
      for (int i = 0; i < d.size(); i++) {
        assertTrue(
            frame.containsBox(d.get(i).box()), "seed " + seed + ": " + d.get(i) + " outside frame");
        for (int j = i + 1; j < d.size(); j++) {
          assertFalse(
              d.get(i).box().intersects(d.get(j).box()), "seed " + seed + ": boxes overlap");
        }
      }
    }
  }

  @Test
  void requestedKindsAreLabelledInOrder() {
    List<DefectClass> all = List.of(DefectClass.values());
    LineScanFrame f = gen.generate(3L, 1024, all);
    List<DefectClass> labelled = new ArrayList<>();
    f.defects().forEach(d -> labelled.add(d.kind()));
    // A 1024x1024 frame has room for one of each; every kind is strong enough to be labelled.
    assertEquals(all, labelled);
  }

  /**
   * Outside the label boxes the frame must equal the same frame without defects, up to the
   * threshold.
   */
  @Test
  void labelBoxesCoverEveryVisibleChange() {
    List<DefectClass> all = List.of(DefectClass.values());
    for (long seed = 0; seed < 4; seed++) {
      LineScanFrame with = gen.generate(seed, 768, all);
      GrayImage without = gen.generate(seed, 768, List.of()).image();
      GrayImage img = with.image();
      int maxOutside = 0;
      int maxInside = 0;
      for (int y = 0; y < img.height(); y++) {
        for (int x = 0; x < img.width(); x++) {
          int diff = Math.abs(img.get(x, y) - without.get(x, y));
          if (inAnyBox(with.defects(), x, y)) {
            maxInside = Math.max(maxInside, diff);
          } else {
            maxOutside = Math.max(maxOutside, diff);
          }
        }
      }
      assertTrue(
          maxOutside <= Math.ceil(LineScanGenerator.LABEL_THRESHOLD),
          "seed " + seed + ": change of " + maxOutside + " outside every box");
      assertTrue(maxInside > 20, "seed " + seed + ": defects barely visible");
    }
  }

  @Test
  void tooSmallFramesGetFewerDefectsButNoErrors() {
    LineScanFrame f = gen.generate(1L, 20, List.of(DefectClass.values()));
    assertEquals(20, f.image().height());
    Box frame = new Box(0, 0, f.image().width(), f.image().height());
    f.defects().forEach(d -> assertTrue(frame.containsBox(d.box())));

    LineScanFrame narrow =
        new LineScanGenerator(128).generate(2L, 256, List.of(DefectClass.values()));
    assertEquals(128, narrow.image().width());
    Box nf = new Box(0, 0, 128, 256);
    narrow.defects().forEach(d -> assertTrue(nf.containsBox(d.box())));
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new LineScanGenerator(10));
    assertThrows(IllegalArgumentException.class, () -> gen.generate(1L, 0));
  }

  private static boolean inAnyBox(List<LabelledDefect> defects, int x, int y) {
    for (LabelledDefect d : defects) {
      Box b = d.box();
      if (x >= b.x() && x < b.right() && y >= b.y() && y < b.bottom()) {
        return true;
      }
    }
    return false;
  }
}
