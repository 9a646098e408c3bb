package io.edgedi.camera.synthetic;

/**
 * Patches: large irregular dark stains (scale residue or oxide) on an otherwise bright, rough
 * surface.
 *
 * <p>Shapes are a union of soft ellipses whose rim is cut by fractal noise, which gives the lobed,
 * ragged outlines of real patches without any explicit polygon code.
 */
final class PatchesPainter implements DefectPainter {
  @Override
  public DefectClass kind() {
    return DefectClass.PATCHES;
  }

  @Override
  public SteelBackground.Style tileBackground(Rng rng) {
    // NEU patches images are high contrast: bright, coarse-grained steel that often clips to white.
    return new SteelBackground.Style(
        rng.uniform(160, 235),
        rng.uniform(10, 24),
        rng.uniform(0, 0.3),
        rng.uniform(8, 16),
        rng.uniform(3, 9),
        rng.uniform(14, 22),
        rng.chance(0.3) ? rng.uniform(3, 7) : 0,
        rng.uniform(-0.8, 0.8));
  }

  @Override
  public void paint(Surface s, Rng rng) {
    Mask envelope = Mask.like(s);
    double scale = Math.min(s.width, s.height) / 200.0;
    int blobs =
        Math.max(1, rng.count(rng.uniform(2, 5) * Math.max(1, DefectPainter.areaFactor(s))));
    for (int b = 0; b < blobs; b++) {
      double x = rng.uniform(0.1, 0.9) * s.width;
      double y = rng.uniform(0.1, 0.9) * s.height;
      // Each blob is a short chain of lobes, mostly strung out along the rolling direction.
      double heading = Math.PI / 2 + rng.gaussian(0, 0.6);
      int lobes = rng.between(1, 4);
      double size = rng.uniform(20, 50) * Math.max(0.5, Math.min(1.5, scale));
      for (int l = 0; l < lobes; l++) {
        double rx = size * rng.uniform(0.6, 1.1);
        double ry = size * rng.uniform(0.9, 1.8);
        envelope.dome(
            x, y, rx, ry, heading - Math.PI / 2 + rng.gaussian(0, 0.3), rng.uniform(0.8, 1));
        double step = size * rng.uniform(0.8, 1.5);
        heading += rng.gaussian(0, 0.5);
        x += StrictMath.cos(heading) * step;
        y += StrictMath.sin(heading) * step;
      }
    }
    long edgeSeed = rng.nextLong();
    double edgeScale = rng.uniform(10, 20);
    double threshold = rng.uniform(0.2, 0.35);
    // Threshold the envelope after adding noise: the rim follows noise contours, so it is ragged.
    envelope.map(
        (v, x, y) -> {
          double field =
              v * (1 + 0.3 * Noise.value(edgeSeed + 1, x / 40.0, y / 40.0))
                  + 0.75 * Noise.fractal(edgeSeed, x / edgeScale, y / edgeScale, 5);
          return Noise.smoothstep(threshold, threshold + 0.4, field);
        });
    envelope.blur(2, 2);
    // Darkness varies inside the patch too: real ones have denser cores and lighter tongues.
    long coreSeed = rng.nextLong();
    envelope.modulate((x, y) -> 0.75 + 0.3 * Noise.fractal(coreSeed, x / 30.0, y / 30.0, 2));
    s.shade(envelope, rng.uniform(0.6, 0.9));

    // Small black specks scattered around: common companions of patches in NEU.
    Mask specks = Mask.like(s);
    int nSpecks = rng.count(DefectPainter.areaFactor(s) * rng.uniform(0, 5));
    for (int i = 0; i < nSpecks; i++) {
      specks.ellipse(
          rng.uniform(0, s.width),
          rng.uniform(0, s.height),
          rng.uniform(1, 2.5),
          rng.uniform(1, 3.5),
          rng.uniform(0, Math.PI),
          rng.uniform(0.7, 1));
    }
    s.darken(specks, rng.uniform(50, 90));
  }
}
