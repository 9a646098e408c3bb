package io.edgedi.camera.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticDefectGeneratorTest {
  private static final int SAMPLES = 30;
  private static final Map<DefectClass, List<ImageFeatures>> FEATURES = new ConcurrentHashMap<>();
  private final SyntheticDefectGenerator gen = new SyntheticDefectGenerator();

  @ParameterizedTest
  @EnumSource(DefectClass.class)
  void sameSeedGivesIdenticalBytes(DefectClass kind) {
    byte[] a = gen.generate(kind, 42L).pixels();
    byte[] b = new SyntheticDefectGenerator().generate(kind, 42L).pixels();
    assertArrayEquals(a, b);
  }

  @ParameterizedTest
  @EnumSource(DefectClass.class)
  void differentSeedsGiveDifferentImages(DefectClass kind) {
    GrayImage a = gen.generate(kind, 1L);
    GrayImage b = gen.generate(kind, 2L);
    assertFalse(Arrays.equals(a.pixels(), b.pixels()));
    // Not just a few pixels: the whole background is redrawn.
    assertTrue(differingFraction(a, b) > 0.5, "images for different seeds are nearly identical");
  }

  @Test
  void sameSeedDifferentClassesShareNoBackground() {
    GrayImage a = gen.generate(DefectClass.CRAZING, 5L);
    GrayImage b = gen.generate(DefectClass.PATCHES, 5L);
    assertTrue(differingFraction(a, b) > 0.5);
  }

  @ParameterizedTest
  @EnumSource(DefectClass.class)
  void imagesHaveNeuSizeAndPlausibleStatistics(DefectClass kind) {
    for (long seed = 0; seed < 10; seed++) {
      GrayImage img = gen.generate(kind, seed);
      assertEquals(200, img.width());
      assertEquals(200, img.height());
      ImageFeatures f = ImageFeatures.of(img);
      String where = kind + " seed " + seed;
      assertTrue(f.mean > 40 && f.mean < 235, where + ": mean " + f.mean);
      assertTrue(f.sd > 3, where + ": nearly constant, sd " + f.sd);
      assertTrue(f.sd < 90, where + ": sd " + f.sd);
      assertTrue(clippedFraction(img) < 0.25, where + ": too much clipped to 0/255");
    }
  }

  @ParameterizedTest
  @EnumSource(DefectClass.class)
  void otherSizesWork(DefectClass kind) {
    GrayImage small = gen.generate(kind, 9L, 64, 48);
    assertEquals(64, small.width());
    assertEquals(48, small.height());
    GrayImage wide = gen.generate(kind, 9L, 320, 240);
    assertEquals(320 * 240, wide.pixels().length);
    assertTrue(ImageFeatures.of(wide).sd > 3);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(
        IllegalArgumentException.class, () -> gen.generate(DefectClass.CRAZING, 1L, 0, 10));
    assertThrows(NullPointerException.class, () -> gen.generate(null, 1L, 10, 10));
  }

  @Test
  void randomClassIsDeterministicAndCoversAllClasses() {
    Set<DefectClass> seen = EnumSet.noneOf(DefectClass.class);
    for (long seed = 0; seed < 120; seed++) {
      DefectClass kind = SyntheticDefectGenerator.classForSeed(seed);
      assertEquals(kind, SyntheticDefectGenerator.classForSeed(seed));
      seen.add(kind);
    }
    assertEquals(EnumSet.allOf(DefectClass.class), seen);

    SyntheticDefectGenerator.Sample s = gen.generate(77L);
    assertEquals(SyntheticDefectGenerator.classForSeed(77L), s.kind());
    assertEquals(gen.generate(s.kind(), 77L), s.image());
    assertEquals(s, gen.generate(77L));
  }

  // --- classes must be told apart by simple statistics -------------------------------------

  @Test
  void crazingHasFarMoreEdgesThanInclusionAndScratches() {
    double crazing = median(DefectClass.CRAZING, f -> f.gradX + f.gradY);
    assertTrue(crazing > 3 * median(DefectClass.INCLUSION, f -> f.gradX + f.gradY));
    assertTrue(crazing > 2.5 * median(DefectClass.SCRATCHES, f -> f.gradX + f.gradY));
  }

  @Test
  void patchesHaveLargeDarkAreasUnlikeCrazing() {
    assertTrue(
        median(DefectClass.PATCHES, f -> f.bigDark)
            > 3 * median(DefectClass.CRAZING, f -> f.bigDark));
  }

  @Test
  void pitsAreSmallDarkMarksOnBrightSteel() {
    double pitted = median(DefectClass.PITTED_SURFACE, f -> f.localDark);
    assertTrue(pitted > 5 * median(DefectClass.INCLUSION, f -> f.localDark));
    assertTrue(pitted > 1.5 * median(DefectClass.ROLLED_IN_SCALE, f -> f.localDark));
    assertTrue(
        median(DefectClass.PITTED_SURFACE, f -> f.mean)
            > median(DefectClass.SCRATCHES, f -> f.mean) + 40);
  }

  @Test
  void scratchesAreMostlyBrightMarks() {
    double scratches = median(DefectClass.SCRATCHES, f -> f.localBright);
    assertTrue(scratches > 2 * median(DefectClass.ROLLED_IN_SCALE, f -> f.localBright));
    assertTrue(scratches > 2 * median(DefectClass.PITTED_SURFACE, f -> f.localBright));
    assertTrue(scratches > median(DefectClass.SCRATCHES, f -> f.localDark));
  }

  /**
   * End-to-end separability: a nearest-centroid classifier on the hand-made features, fitted on one
   * set of seeds and scored on another, must do far better than the 1-in-6 chance level. The bar is
   * deliberately loose; a CNN has much more to go on.
   */
  @Test
  void classesAreSeparableByNearestCentroid() {
    int dims = ImageFeatures.of(gen.generate(DefectClass.CRAZING, 0)).vector().length;
    Map<DefectClass, double[]> centroid = new EnumMap<>(DefectClass.class);
    double[] mean = new double[dims];
    double[] sq = new double[dims];
    Map<DefectClass, double[][]> train = new EnumMap<>(DefectClass.class);
    for (DefectClass c : DefectClass.values()) {
      double[][] rows = new double[SAMPLES][];
      for (int i = 0; i < SAMPLES; i++) {
        rows[i] = ImageFeatures.of(gen.generate(c, 10_000 + i)).vector();
        for (int d = 0; d < dims; d++) {
          mean[d] += rows[i][d];
          sq[d] += rows[i][d] * rows[i][d];
        }
      }
      train.put(c, rows);
    }
    int n = SAMPLES * DefectClass.count();
    double[] scale = new double[dims];
    for (int d = 0; d < dims; d++) {
      mean[d] /= n;
      scale[d] = Math.sqrt(Math.max(sq[d] / n - mean[d] * mean[d], 1e-9));
    }
    for (DefectClass c : DefectClass.values()) {
      double[] sum = new double[dims];
      for (double[] row : train.get(c)) {
        for (int d = 0; d < dims; d++) {
          sum[d] += (row[d] - mean[d]) / scale[d] / SAMPLES;
        }
      }
      centroid.put(c, sum);
    }
    int correct = 0;
    for (DefectClass c : DefectClass.values()) {
      for (int i = 0; i < SAMPLES; i++) {
        double[] v = ImageFeatures.of(gen.generate(c, 20_000 + i)).vector();
        DefectClass best = null;
        double bestDist = Double.MAX_VALUE;
        for (Map.Entry<DefectClass, double[]> e : centroid.entrySet()) {
          double dist = 0;
          for (int d = 0; d < dims; d++) {
            double z = (v[d] - mean[d]) / scale[d] - e.getValue()[d];
            dist += z * z;
          }
          if (dist < bestDist) {
            bestDist = dist;
            best = e.getKey();
          }
        }
        if (best == c) {
          correct++;
        }
      }
    }
    double accuracy = correct / (double) n;
    assertTrue(accuracy > 0.75, "nearest-centroid accuracy only " + accuracy);
  }

  private static double median(DefectClass kind, ToDoubleFunction<ImageFeatures> feature) {
    // Features are cached across tests: generating the samples is the slow part.
    List<ImageFeatures> features =
        FEATURES.computeIfAbsent(
            kind,
            k -> {
              SyntheticDefectGenerator g = new SyntheticDefectGenerator();
              List<ImageFeatures> list = new ArrayList<>();
              for (int i = 0; i < SAMPLES; i++) {
                list.add(ImageFeatures.of(g.generate(k, i)));
              }
              return list;
            });
    double[] v = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      v[i] = feature.applyAsDouble(features.get(i));
    }
    Arrays.sort(v);
    return v[SAMPLES / 2];
  }

  private static double differingFraction(GrayImage a, GrayImage b) {
    byte[] pa = a.pixels();
    byte[] pb = b.pixels();
    int diff = 0;
    for (int i = 0; i < pa.length; i++) {
      if (pa[i] != pb[i]) {
        diff++;
      }
    }
    return diff / (double) pa.length;
  }

  private static double clippedFraction(GrayImage img) {
    int clipped = 0;
    for (byte b : img.pixels()) {
      int v = b & 0xFF;
      if (v == 0 || v == 255) {
        clipped++;
      }
    }
    return clipped / (double) (img.width() * img.height());
  }
}
