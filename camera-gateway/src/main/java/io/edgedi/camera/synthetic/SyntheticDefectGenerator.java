package io.edgedi.camera.synthetic;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Procedural NEU-CLS-style steel surface images: one defect kind per image on a textured
 * background.
 *
 * <p>Output is a pure function of (kind, seed, width, height): no global state, no wall clock, and
 * only {@link StrictMath} for transcendental functions, so the same arguments give byte-identical
 * images on every platform. Instances are immutable and safe to share between threads.
 *
 * <p>Marks are drawn at NEU scale (about 200 px across a tile); other sizes get proportionally more
 * or fewer marks of the same pixel size, as a crop or a wider camera would.
 */
public final class SyntheticDefectGenerator {
  /** Side length of NEU-CLS images. */
  public static final int NEU_SIZE = 200;

  private final Map<DefectClass, DefectPainter> painters = new EnumMap<>(DefectClass.class);

  public SyntheticDefectGenerator() {
    for (DefectClass c : DefectClass.values()) {
      painters.put(c, DefectPainter.of(c));
    }
  }

  /** A generated image together with its class label. */
  public record Sample(DefectClass kind, GrayImage image) {
    public Sample {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(image, "image");
    }
  }

  /** One image of the given defect kind. */
  public GrayImage generate(DefectClass kind, long seed, int width, int height) {
    Objects.requireNonNull(kind, "kind");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
    // Mix the class into the seed so seed 7 of crazing and seed 7 of patches share no background.
    Rng rng = new Rng(Noise.mix(seed + 0x9E3779B97F4A7C15L * (kind.index() + 1)));
    DefectPainter painter = painters.get(kind);
    Surface s = new Surface(width, height);
    SteelBackground.render(s, painter.tileBackground(rng), rng.nextLong());
    painter.paint(s, rng.fork());
    return s.toGrayImage();
  }

  /** One {@value #NEU_SIZE}x{@value #NEU_SIZE} image of the given kind. */
  public GrayImage generate(DefectClass kind, long seed) {
    return generate(kind, seed, NEU_SIZE, NEU_SIZE);
  }

  /** An image of a class drawn uniformly from the seed; the class is returned with it. */
  public Sample generate(long seed, int width, int height) {
    DefectClass kind = classForSeed(seed);
    return new Sample(kind, generate(kind, seed, width, height));
  }

  /** {@link #generate(long, int, int)} at NEU size. */
  public Sample generate(long seed) {
    return generate(seed, NEU_SIZE, NEU_SIZE);
  }

  /** The class {@link #generate(long, int, int)} picks for a seed. */
  public static DefectClass classForSeed(long seed) {
    return DefectClass.ofIndex(
        (int) Long.remainderUnsigned(Noise.mix(seed ^ 0x5DEECE66DL), DefectClass.count()));
  }

  /** Package-private so the line-scan generator paints with the same instances. */
  DefectPainter painter(DefectClass kind) {
    return painters.get(kind);
  }
}
