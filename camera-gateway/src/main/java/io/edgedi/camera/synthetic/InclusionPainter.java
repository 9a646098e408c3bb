package io.edgedi.camera.synthetic;

/**
 * Inclusion: non-metallic particles rolled into the strip, seen as chains of elongated spots and
 * streaks lying along the rolling direction, usually darker than the steel, sometimes lighter.
 */
final class InclusionPainter implements DefectPainter {
  @Override
  public DefectClass kind() {
    return DefectClass.INCLUSION;
  }

  @Override
  public SteelBackground.Style tileBackground(Rng rng) {
    // NEU inclusion images are fairly dark, smooth and low-noise with soft vertical banding.
    return new SteelBackground.Style(
        rng.uniform(85, 140),
        rng.uniform(6, 16),
        rng.uniform(0.05, 0.45),
        rng.uniform(1.5, 4),
        rng.uniform(1.5, 5),
        rng.uniform(1.5, 3.5),
        0,
        0);
  }

  @Override
  public void paint(Surface s, Rng rng) {
    Mask spots = Mask.like(s);
    Mask haze = Mask.like(s);
    // Lanes: narrow bands along y in which the particles of one inclusion were smeared out.
    int lanes = Math.max(1, rng.count(rng.uniform(1, 3.2) * Math.max(1, s.width / 200.0)));
    for (int l = 0; l < lanes; l++) {
      double cx = rng.uniform(0.08, 0.92) * s.width;
      double span = rng.uniform(0.3, 1.1) * s.height;
      double y0 = rng.uniform(-0.15 * s.height, s.height - 0.5 * span);
      double drift = rng.gaussian(0, 0.04); // lanes are not perfectly vertical
      double bulk = rng.uniform(0.4, 1.0); // how heavy this lane is
      int nSpots = rng.between(2, 4) + rng.count(bulk * span / 18);
      for (int i = 0; i < nSpots; i++) {
        double y = y0 + rng.uniform() * span;
        double x = cx + drift * (y - y0) + rng.gaussian(0, rng.uniform(1, 5));
        double ry = rng.uniform(3, 9) + rng.uniform(0, 20) * rng.uniform();
        double rx = Math.min(ry * 0.6, rng.uniform(1.0, 2.2 + 3 * bulk));
        double strength = rng.uniform(0.5, 1);
        // Two or three overlapping ellipses give ragged particle outlines instead of clean ovals.
        int parts = rng.between(1, 3);
        for (int p = 0; p < parts; p++) {
          spots.ellipse(
              x + rng.gaussian(0, rx * 0.5),
              y + rng.gaussian(0, ry * 0.4),
              rx * rng.uniform(0.6, 1),
              ry * rng.uniform(0.5, 1),
              -drift + rng.gaussian(0, 0.08),
              strength * rng.uniform(0.75, 1));
        }
      }
      if (rng.chance(0.6)) {
        // Diffuse smear around the particles: the wide, faint part of a real inclusion streak.
        haze.dome(
            cx + drift * span / 2,
            y0 + span / 2,
            rng.uniform(6, 20),
            span / 2,
            -drift,
            rng.uniform(0.4, 0.9));
      }
    }
    long roughSeed = rng.nextLong();
    spots.modulate((x, y) -> 0.7 + 0.45 * Noise.value(roughSeed, x / 2.5, y / 4.0));
    spots.blur(1, 1);
    haze.modulate((x, y) -> 0.6 + 0.5 * Noise.fractal(roughSeed + 1, x / 6.0, y / 20.0, 2));
    haze.blur(3, 2);

    boolean light = rng.chance(0.15);
    double depth = rng.uniform(24, 50);
    if (light) {
      s.brighten(haze, depth * 0.35);
      s.brighten(spots, depth);
    } else {
      s.darken(haze, depth * 0.5);
      s.darken(spots, depth);
    }
  }
}
