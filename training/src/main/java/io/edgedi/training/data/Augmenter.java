package io.edgedi.training.data;

import io.edgedi.camera.capture.CaptureKind;
import io.edgedi.camera.capture.Degradation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded augmentation of one training image: horizontal/vertical flips, quarter turns (square
 * images only), small brightness and contrast changes, and, with probability {@code
 * captureProbability}, one to three capture effects ({@link CaptureKind}: sensor noise, blur,
 * JPEG/H.264, exposure, illumination, shift/rotation, dust) at levels drawn up to their training
 * maximum. Steel-surface defects have no preferred orientation, so all eight flips/turns keep the
 * label. Output depends only on (seed, epoch, index), so a resumed run sees the same images as an
 * uninterrupted one.
 */
public final class Augmenter {
  private static final CaptureKind[] KINDS = CaptureKind.values();

  private final double brightness;
  private final double contrast;
  private final double captureProbability;
  private final boolean enabled;

  /**
   * @param brightness largest shift, as a fraction of the 0..255 range (e.g. 0.05)
   * @param contrast largest relative contrast change (e.g. 0.1 for 0.9x..1.1x)
   * @param captureProbability chance that an image also gets capture effects
   */
  public Augmenter(boolean enabled, double brightness, double contrast, double captureProbability) {
    this.enabled = enabled;
    this.brightness = brightness;
    this.contrast = contrast;
    this.captureProbability = captureProbability;
  }

  public static Augmenter standard() {
    return standard(0);
  }

  public static Augmenter standard(double captureProbability) {
    return new Augmenter(true, 0.05, 0.1, captureProbability);
  }

  public static Augmenter none() {
    return new Augmenter(false, 0, 0, 0);
  }

  /** Writes the augmented input (pixel/255) of {@code s} into {@code out} at {@code offset}. */
  public void apply(Sample s, long seed, int epoch, int index, float[] out, int offset) {
    byte[] px = s.pixels();
    if (!enabled) {
      toInput(px, out, offset);
      return;
    }
    SplittableRandom rnd =
        new SplittableRandom(
            (seed * 0x9E3779B97F4A7C15L) ^ ((long) epoch << 32) ^ (index * 0xBF58476D1CE4E5B9L));
    byte[] moved = flipAndTone(s, rnd);
    if (captureProbability > 0 && rnd.nextDouble() < captureProbability) {
      moved = randomCapture(rnd).apply(moved, s.height(), s.width(), rnd.nextLong());
    }
    toInput(moved, out, offset);
  }

  /** One to three distinct capture effects, each at a random training level, in random order. */
  static Degradation randomCapture(SplittableRandom rnd) {
    int n = 1 + rnd.nextInt(3);
    List<CaptureKind> pool = new ArrayList<>(List.of(KINDS));
    List<Degradation.Step> steps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CaptureKind k = pool.remove(rnd.nextInt(pool.size()));
      steps.add(new Degradation.Step(k, k.trainLevel(rnd)));
    }
    return new Degradation(steps);
  }

  private byte[] flipAndTone(Sample s, SplittableRandom rnd) {
    int h = s.height();
    int w = s.width();
    byte[] px = s.pixels();
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
    byte[] out = new byte[px.length];
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
        out[y * w + x] = (byte) Math.max(0, Math.min(255, Math.rint(v)));
      }
    }
    return out;
  }

  private static void toInput(byte[] px, float[] out, int offset) {
    System.arraycopy(Sample.toInput(px), 0, out, offset, px.length);
  }
}
