package io.edgedi.inference.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightFileTest {
  private final ModelSpec model = ModelZoo.byName("resnet18-scar", 32, 32);
  private final ModelWeights weights = RandomWeights.create(model, 3);

  @Test
  void float32RoundTripIsExactAndCarriesTheModel(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("w.edw");
    String version = WeightFile.write(file, weights, WeightFile.Precision.FLOAT32);
    WeightFile.Loaded back = WeightFile.read(file, "resnet18-scar");
    assertEquals(version, back.version());
    assertEquals(12, version.length());
    assertEquals(model, back.weights().model());
    assertEquals(weights.tensors(), back.weights().tensors());
    assertEquals("random", back.weights().metadata().get("origin"));
  }

  @Test
  void float16HalvesTheDataAndStaysWithinHalfPrecision(@TempDir Path dir) throws Exception {
    byte[] full = WeightFile.encode(weights, WeightFile.Precision.FLOAT32);
    byte[] half = WeightFile.encode(weights, WeightFile.Precision.FLOAT16);
    assertTrue(half.length < full.length * 0.6, half.length + " vs " + full.length);
    ModelWeights back = WeightFile.decode(half, "mem").weights();
    for (NamedTensor t : weights.tensors()) {
      float[] a = t.values();
      float[] b = back.values(t.name());
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], Math.abs(a[i]) * 1e-3 + 1e-7, t.name());
      }
    }
  }

  @Test
  void halfPrecisionConversionHandlesSpecialValues() {
    for (float f : new float[] {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f}) {
      assertEquals(f, Half.toFloat(Half.fromFloat(f)), 0.0, "value " + f);
    }
    assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(1e6f)));
    assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
    assertEquals(0f, Half.toFloat(Half.fromFloat(1e-10f)));
  }

  @Test
  void wrongModelIsRefusedByName(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("w.edw");
    WeightFile.write(file, weights, WeightFile.Precision.FLOAT32);
    WeightFileException e =
        assertThrows(WeightFileException.class, () -> WeightFile.read(file, "vgg16"));
    assertTrue(
        e.getMessage().contains("holds weights for model 'resnet18-scar', not 'vgg16'"),
        e.getMessage());
  }

  @Test
  void truncatedFileIsRefused() {
    byte[] bytes = WeightFile.encode(weights, WeightFile.Precision.FLOAT32);
    for (int cut : new int[] {0, 5, 20, bytes.length / 2, bytes.length - 1}) {
      byte[] part = Arrays.copyOf(bytes, cut);
      WeightFileException e =
          assertThrows(WeightFileException.class, () -> WeightFile.decode(part, "t"));
      assertTrue(e.getMessage().contains("t"), e.getMessage());
    }
  }

  @Test
  void anyFlippedByteIsCaughtByTheChecksum() {
    byte[] bytes = WeightFile.encode(weights, WeightFile.Precision.FLOAT32);
    for (int pos : new int[] {12, 40, bytes.length / 2, bytes.length - 40}) {
      byte[] bad = bytes.clone();
      bad[pos] ^= 0x10;
      WeightFileException e =
          assertThrows(WeightFileException.class, () -> WeightFile.decode(bad, "c"));
      assertTrue(
          e.getMessage().contains("corrupt") || e.getMessage().contains("version"), e.getMessage());
    }
  }

  @Test
  void otherFilesAreNotMistakenForWeights(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "this is not a weight file, but it is long enough to have a header");
    WeightFileException e = assertThrows(WeightFileException.class, () -> WeightFile.read(file));
    assertTrue(e.getMessage().contains("not an EdgeDI weight file"), e.getMessage());
  }

  @Test
  void weightsOfTheWrongShapeAreRefused() {
    ModelSpec other = ModelZoo.byName("vgg13-scar", 32, 32);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ModelWeights(other, weights.tensors(), java.util.Map.of()));
    assertTrue(e.getMessage().startsWith("vgg13-scar:"), e.getMessage());
  }

  @Test
  void batchNormFoldsIntoKernelAndBias() {
    ModelSpec m = ModelZoo.byName("vgg13", 32, 32);
    ModelWeights w = RandomWeights.create(m, 1);
    FoldedWeights f = FoldedWeights.fold(w, "x");
    float[] k = w.values("conv1_1.kernel");
    float g = w.values("conv1_1.bn_gamma")[2];
    float v = w.values("conv1_1.bn_variance")[2];
    double scale = g / Math.sqrt(v + FoldedWeights.BN_EPSILON);
    assertEquals(k[2] * scale, f.kernel(1)[2], 1e-6);
    double bias =
        (w.values("conv1_1.bias")[2] - w.values("conv1_1.bn_mean")[2]) * scale
            + w.values("conv1_1.bn_beta")[2];
    assertEquals(bias, f.bias(1)[2], 1e-6);
    assertNotEquals(k[2], f.kernel(1)[2]);
    assertArrayEquals(w.values("head.bias"), f.headBias());
  }
}
