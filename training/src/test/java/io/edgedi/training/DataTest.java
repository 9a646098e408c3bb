package io.edgedi.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgedi.training.data.Augmenter;
import io.edgedi.training.data.DataSets;
import io.edgedi.training.data.Sample;
import io.edgedi.training.data.Shuffle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataTest {
  /** The real data set: -Dedgedi.neu.dir=DIR or EDGEDI_NEU_DIR; tests using it skip without it. */
  static Path neuDir() {
    String p = System.getProperty("edgedi.neu.dir", System.getenv("EDGEDI_NEU_DIR"));
    return p == null || p.isBlank() ? null : Path.of(p);
  }

  @Test
  void missingDataDirSaysWhatIsExpected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DataSets.split(Path.of("/nonexistent/neu"), 200, 200, 1));
    assertTrue(
        e.getMessage().contains("/nonexistent/neu") && e.getMessage().contains("train/<class>"),
        e.getMessage());
    IllegalArgumentException none =
        assertThrows(IllegalArgumentException.class, () -> DataSets.requireDataDir(null));
    assertTrue(none.getMessage().contains("--data is required"), none.getMessage());
  }

  @Test
  void augmentationAndShufflingAreSeeded() {
    Sample s = DataSets.synthetic(1, 3, 40, 40).get(0);
    float[] a = new float[1600];
    float[] b = new float[1600];
    float[] c = new float[1600];
    Augmenter.standard().apply(s, 1, 2, 3, a, 0);
    Augmenter.standard().apply(s, 1, 2, 3, b, 0);
    Augmenter.standard().apply(s, 1, 3, 3, c, 0);
    assertArrayEquals(a, b);
    assertFalse(java.util.Arrays.equals(a, c));
    assertArrayEquals(Shuffle.permutation(50, 4, 1), Shuffle.permutation(50, 4, 1));
    assertFalse(
        java.util.Arrays.equals(Shuffle.permutation(50, 4, 1), Shuffle.permutation(50, 4, 2)));
  }

  @Test
  void syntheticFramesCycleThroughClasses() {
    List<Sample> s = DataSets.synthetic(12, 0, 32, 32);
    for (int i = 0; i < 12; i++) {
      assertEquals(i % 6, s.get(i).label());
    }
  }

  @Test
  void realNeuSplitHasAllClasses() throws Exception {
    Path dir = neuDir();
    assumeTrue(
        dir != null && Files.isDirectory(dir),
        "NEU-CLS not found at " + dir + " (set -Dedgedi.neu.dir or EDGEDI_NEU_DIR): skipping");
    DataSets.Split split = DataSets.split(dir, 200, 200, 1);
    assertFalse(split.train().isEmpty());
    assertFalse(split.val().isEmpty());
    assertEquals(6, split.train().stream().mapToInt(Sample::label).distinct().count());
    assertEquals(6, split.val().stream().mapToInt(Sample::label).distinct().count());
  }

  @Test
  void captureAugmentationIsSeededAndChangesAboutItsShareOfImages() {
    Sample s = DataSets.synthetic(1, 3, 48, 48).get(0);
    Augmenter geometric = Augmenter.standard(0);
    Augmenter capture = Augmenter.standard(0.7);
    int changed = 0;
    for (int i = 0; i < 100; i++) {
      float[] g = new float[48 * 48];
      float[] c = new float[48 * 48];
      float[] again = new float[48 * 48];
      geometric.apply(s, 5, 1, i, g, 0);
      capture.apply(s, 5, 1, i, c, 0);
      capture.apply(s, 5, 1, i, again, 0);
      assertArrayEquals(c, again, "capture effects must depend only on (seed, epoch, index)");
      if (!java.util.Arrays.equals(g, c)) {
        changed++;
      }
    }
    // Flips and tone draw the same values first, so an image differs only when it got capture
    // effects.
    assertTrue(
        changed >= 55 && changed <= 85, changed + " of 100 images changed at probability 0.7");
  }
}
