package io.edgedi.camera.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyntheticSourceTest {
  private static List<SourceImage> drain(FrameSource s) throws InterruptedException {
    List<SourceImage> out = new ArrayList<>();
    for (Optional<SourceItem> i = s.next(); i.isPresent(); i = s.next()) {
      out.add((SourceImage) i.get());
    }
    return out;
  }

  @Test
  void sameSeedSameImagesAndLabels() throws InterruptedException {
    List<SourceImage> a = drain(new SyntheticSource(42, 14));
    List<SourceImage> b = drain(new SyntheticSource(42, 14));
    assertEquals(14, a.size());
    assertEquals(a, b);
    List<SourceImage> c = drain(new SyntheticSource(43, 14));
    assertNotEquals(a.get(0).image(), c.get(0).image());
  }

  @Test
  void everyRoundOfSixHasEachClassOnce() throws InterruptedException {
    List<SourceImage> images = drain(new SyntheticSource(7, 18));
    for (int round = 0; round < 3; round++) {
      Map<DefectClass, Integer> counts = new EnumMap<>(DefectClass.class);
      for (SourceImage img : images.subList(round * 6, round * 6 + 6)) {
        counts.merge(DefectClass.fromName(img.label()), 1, Integer::sum);
      }
      assertEquals(6, counts.size(), "round " + round + ": " + counts);
    }
    // Not a fixed cycle: some round differs from the first.
    List<String> labels = images.stream().map(SourceImage::label).toList();
    assertFalse(
        labels.subList(0, 6).equals(labels.subList(6, 12))
            && labels.subList(0, 6).equals(labels.subList(12, 18)),
        "class order repeats: " + labels);
  }

  @Test
  void labelAndOriginRegenerateTheImage() throws InterruptedException {
    SourceImage img = drain(new SyntheticSource(3, 1)).get(0);
    assertEquals(200, img.image().width());
    String[] parts = img.origin().split(":");
    assertEquals("synthetic", parts[0]);
    assertEquals(img.label(), parts[1]);
    DefectClass kind = DefectClass.fromName(img.label());
    assertEquals(
        img.image(), new SyntheticDefectGenerator().generate(kind, Long.parseLong(parts[2])));
  }

  @Test
  void unboundedKeepsGoingAndCloseEndsIt() throws InterruptedException {
    SyntheticSource s = new SyntheticSource(1, SyntheticSource.UNBOUNDED, 32, 16);
    for (int i = 0; i < 50; i++) {
      SourceImage img = (SourceImage) s.next().orElseThrow();
      assertEquals(32, img.image().width());
      assertEquals(16, img.image().height());
    }
    s.close();
    assertTrue(s.next().isEmpty());
    assertEquals(50, s.produced());
  }

  @Test
  void zeroCountIsEmpty() throws InterruptedException {
    assertTrue(new SyntheticSource(1, 0).next().isEmpty());
  }
}
