package io.edgedi.camera.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import org.junit.jupiter.api.Test;

/** {@link Luma} and {@link Resampler}. */
class ImageConversionTest {
  @Test
  void lumaOfPrimariesIsBt601() {
    assertEquals(76, Luma.luma(0xFF0000));
    assertEquals(150, Luma.luma(0x00FF00));
    assertEquals(29, Luma.luma(0x0000FF));
    for (int v = 0; v < 256; v++) {
      assertEquals(v, Luma.luma(v << 16 | v << 8 | v));
    }
  }

  @Test
  void grayImagesKeepTheirSamples() {
    GrayImage img = TestImages.synthetic(DefectClass.PATCHES, 5, 40, 30);
    assertEquals(img, Luma.toGray(img.toBufferedImage()));
  }

  @Test
  void grayPaletteMapsToItsLevels() {
    byte[] levels = new byte[256];
    for (int i = 0; i < 256; i++) {
      levels[i] = (byte) (255 - i); // inverted palette: index i shows gray 255 - i
    }
    BufferedImage img =
        new BufferedImage(
            3,
            1,
            BufferedImage.TYPE_BYTE_INDEXED,
            new IndexColorModel(8, 256, levels, levels, levels));
    img.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});
    GrayImage g = Luma.toGray(img);
    assertEquals(255, g.get(0, 0));
    assertEquals(155, g.get(1, 0));
    assertEquals(0, g.get(2, 0));
  }

  @Test
  void sixteenBitGrayIsScaled() {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {65535, 32896});
    GrayImage g = Luma.toGray(img);
    assertEquals(255, g.get(0, 0));
    assertEquals(128, g.get(1, 0));
  }

  @Test
  void sameSizeIsUnchanged() {
    GrayImage img = TestImages.synthetic(DefectClass.CRAZING, 1, 20, 10);
    assertSame(img, Resampler.resize(img, 20, 10));
  }

  @Test
  void halvingAveragesTwoByTwoBlocks() {
    GrayImage img = new GrayImage(4, 2, new byte[] {0, 10, 20, 40, 2, 12, 100, (byte) 200});
    GrayImage half = Resampler.resize(img, 2, 1);
    assertEquals(6, half.get(0, 0));
    assertEquals(90, half.get(1, 0));
  }

  @Test
  void fractionalShrinkKeepsMeanAndFlatness() {
    GrayImage flat = new GrayImage(300, 250, filled(300 * 250, 77));
    GrayImage small = Resampler.resize(flat, 200, 200);
    assertEquals(200, small.width());
    assertEquals(77.0, small.mean(), 1e-9);
    GrayImage tex = TestImages.synthetic(DefectClass.ROLLED_IN_SCALE, 9, 300, 250);
    assertEquals(tex.mean(), Resampler.resize(tex, 200, 200).mean(), 1.0);
  }

  @Test
  void enlargingInterpolatesBetweenNeighbours() {
    GrayImage img = new GrayImage(2, 1, new byte[] {0, 100});
    GrayImage big = Resampler.resize(img, 4, 1);
    // Centres of outputs map to -0.25, 0.25, 0.75, 1.25 in input pixels (clamped at the border).
    assertEquals(0, big.get(0, 0));
    assertEquals(25, big.get(1, 0));
    assertEquals(75, big.get(2, 0));
    assertEquals(100, big.get(3, 0));
    GrayImage mixed =
        Resampler.resize(TestImages.synthetic(DefectClass.SCRATCHES, 2, 100, 400), 200, 200);
    assertEquals(200, mixed.height());
    assertTrue(mixed.mean() > 0);
  }

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }
}
