package io.edgedi.training.data;

import java.util.SplittableRandom;

/**
 * Seeded augmentation of one training image: horizontal/vertical flips, quarter turns (square
 * images only), small brightness and contrast changes. Steel-surface defects have no preferred
 * orientation, so all eight flips/turns keep the label. Output depends only on (seed, epoch,
 * index), so a resumed run sees the same images as an uninterrupted one.
 */
public final class Augmenter {
  private final double brightness;
  private final double contrast;
  private final boolean enabled;

  /**
   * @param brightness largest shift, as a fraction of the 0..255 range (e.g. 0.05)
   * @param contrast largest relative contrast change (e.g. 0.1 for 0.9x..1.1x)
   */
  public Augmenter(boolean enabled, double brightness, double contrast) {
    this.enabled = enabled;
    this.brightness = brightness;
    this.contrast = contrast;
  }

  public static Augmenter standard() {
    return new Augmenter(true, 0.05, 0.1);
  }

  public static Augmenter none() {
    return new Augmenter(false, 0, 0);
  }

  /** Writes the augmented input (pixel/255) of {@code s} into {@code out} at {@code offset}. */
  public void apply(Sample s, long seed, int epoch, int index, float[] out, int offset) {
    int h = s.height();
    int w = s.width();
    byte[] px = s.pixels();
    if (!enabled) {
      for (int i = 0; i < px.length; i++) {
        out[offset + i] = (px[i] & 0xff) / 255f;
      }
      return;
    }
    SplittableRandom rnd = new SplittableRandom(
        (seed * 0x9E3779B97F4A7C15L) ^ ((long) epoch << 32) ^ (index * 0xBF58476D1CE4E5B9L));
    boolean flipH = rnd.nextBoolean();
    boolean flipV = rnd.nextBoolean();
    boolean transpose = h == w && rnd.nextBoolean();
    double c = 1 + contrast * (2 * rnd.nextDouble() - 1);
    double b = 255 * brightness * (2 * rnd.nextDouble() - 1);
    double mean = 0;
    for (byte v : px) {
      mean += v & 0xff;
    }
    mean /= px.length;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sy = y;
        int sx = x;
        if (transpose) {
          sy = x;
          sx = y;
        }
        if (flipV) {
          sy = h - 1 - sy;
        }
        if (flipH) {
          sx = w - 1 - sx;
        }
        double v = ((px[sy * w + sx] & 0xff) - mean) * c + mean + b;
        v = Math.max(0, Math.min(255, Math.rint(v)));
        out[offset + y * w + x] = (float) (v / 255.0);
      }
    }
  }
}
