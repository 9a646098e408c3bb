package io.edgedi.camera.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Frames as a line-scan camera over a moving strip would deliver them: a wide image of plain steel
 * (rolling direction vertical) with a few defects of known kind at known places.
 *
 * <p>Each defect is painted inside its own rectangle, faded out towards the rectangle's edges, and
 * labelled with the tight box around the pixels it changed by at least {@value #LABEL_THRESHOLD}
 * gray levels. Rectangles do not overlap, so every label box belongs to exactly one defect. Like
 * the tile generator, output depends only on the arguments.
 */
public final class LineScanGenerator {
  public static final int DEFAULT_WIDTH = 1024;

  /** Change in gray levels a pixel needs to count as part of a defect's label box. */
  public static final double LABEL_THRESHOLD = 6.0;

  private static final int GAP = 8;
  private static final int PLACEMENT_ATTEMPTS = 60;

  private final int width;
  private final SyntheticDefectGenerator tiles = new SyntheticDefectGenerator();

  public LineScanGenerator() {
    this(DEFAULT_WIDTH);
  }

  public LineScanGenerator(int width) {
    if (width < 64) {
      throw new IllegalArgumentException("frame width must be at least 64: " + width);
    }
    this.width = width;
  }

  public int width() {
    return width;
  }

  /** A frame with a random number (at least one) of defects of random kinds. */
  public LineScanFrame generate(long seed, int rows) {
    Rng rng = new Rng(Noise.mix(seed ^ 0x2545F4914F6CDD1DL));
    int max = Math.max(1, (int) Math.round(width * (double) rows / 200_000.0));
    int n = rng.between(1, max);
    List<DefectClass> kinds = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      kinds.add(DefectClass.ofIndex(rng.between(0, DefectClass.count() - 1)));
    }
    return generate(seed, rows, kinds);
  }

  /**
   * A frame with the given defect kinds. A defect that finds no free place (frame too small or too
   * crowded), or that came out too faint to label, is left out of the returned list, so callers
   * should read the labels from the result rather than from {@code kinds}.
   */
  public LineScanFrame generate(long seed, int rows, List<DefectClass> kinds) {
    Objects.requireNonNull(kinds, "kinds");
    if (rows <= 0) {
      throw new IllegalArgumentException("rows must be positive: " + rows);
    }
    Rng rng = new Rng(Noise.mix(seed));
    Surface s = new Surface(width, rows);
    SteelBackground.render(s, SteelBackground.generic(rng), rng.nextLong());

    List<Box> taken = new ArrayList<>();
    List<LabelledDefect> labels = new ArrayList<>();
    for (DefectClass kind : kinds) {
      // Fork per defect so one defect's random draws never shift the next one's.
      Rng local = rng.fork();
      Box region = place(kind, local, rows, taken);
      if (region == null) {
        continue;
      }
      taken.add(region);
      Surface patch = s.copy(region);
      tiles.painter(kind).paint(patch, local);
      int feather = Math.max(2, Math.min(12, Math.min(region.width(), region.height()) / 10));
      Box tight = s.blendBack(patch, region, feather, LABEL_THRESHOLD);
      if (tight != null) {
        labels.add(new LabelledDefect(kind, tight));
      }
    }
    return new LineScanFrame(s.toGrayImage(), labels);
  }

  /** Random free rectangle sized for the kind, or null when none is found. */
  private Box place(DefectClass kind, Rng rng, int rows, List<Box> taken) {
    for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
      int[] size = typicalSize(kind, rng);
      int w = Math.min(size[0], width - 2 * GAP);
      int h = Math.min(size[1], rows - 2 * GAP);
      if (w < 16 || h < 16) {
        return null;
      }
      Box b = new Box(rng.between(GAP, width - GAP - w), rng.between(GAP, rows - GAP - h), w, h);
      boolean free = true;
      for (Box t : taken) {
        if (t.grow(GAP).intersects(b)) {
          free = false;
          break;
        }
      }
      if (free) {
        return b;
      }
    }
    return null;
  }

  /** Width and height of the painting area, in pixels at NEU resolution. */
  private static int[] typicalSize(DefectClass kind, Rng rng) {
    return switch (kind) {
      case CRAZING -> new int[] {rng.between(140, 300), rng.between(140, 300)};
      case INCLUSION -> new int[] {rng.between(30, 90), rng.between(100, 320)};
      case PATCHES -> new int[] {rng.between(100, 240), rng.between(120, 280)};
      case PITTED_SURFACE -> new int[] {rng.between(100, 220), rng.between(100, 260)};
      case ROLLED_IN_SCALE -> new int[] {rng.between(100, 220), rng.between(120, 280)};
      case SCRATCHES -> new int[] {rng.between(20, 80), rng.between(150, 500)};
    };
  }
}
