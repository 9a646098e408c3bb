package io.edgedi.camera.synthetic;

/**
 * Rolled-in scale: flakes of oxide pressed into the surface, seen as small irregular dark
 * fragments, each with a thin light rim on one side (the raised edge catches the light), scattered
 * in loose groups drawn out along the rolling direction.
 */
final class RolledInScalePainter implements DefectPainter {
  @Override
  public DefectClass kind() {
    return DefectClass.ROLLED_IN_SCALE;
  }

  @Override
  public SteelBackground.Style tileBackground(Rng rng) {
    // NEU rolled-in scale images are mid-gray with visible diagonal roll marks.
    return new SteelBackground.Style(
        rng.uniform(100, 155),
        rng.uniform(8, 18),
        rng.uniform(0, 0.3),
        rng.uniform(4, 9),
        rng.uniform(2, 6),
        rng.uniform(5, 9),
        rng.uniform(9, 16),
        rng.uniform(-0.6, 0.6));
  }

  @Override
  public void paint(Surface s, Rng rng) {
    Mask dark = Mask.like(s);
    Mask rim = Mask.like(s);
    double area = DefectPainter.areaFactor(s);
    int groups = Math.max(1, rng.count(area * rng.uniform(2, 5)));
    double[][] g = new double[groups][];
    for (int k = 0; k < groups; k++) {
      g[k] =
          new double[] {
            rng.uniform(0, s.width),
            rng.uniform(0, s.height),
            rng.uniform(8, 28),
            rng.uniform(25, 80)
          };
    }
    // Light comes from one side for the whole image, so all rims sit on the same side of their
    // flakes.
    double lightAngle = rng.uniform(0, 2 * Math.PI);
    double rimDx = StrictMath.cos(lightAngle) * 1.6;
    double rimDy = StrictMath.sin(lightAngle) * 1.6;
    double flakeAngle = rng.gaussian(0, 0.4);

    int n = Math.max(10, rng.count(area * rng.uniform(20, 70)));
    for (int i = 0; i < n; i++) {
      double x;
      double y;
      if (rng.chance(0.8)) {
        double[] k = g[rng.between(0, groups - 1)];
        x = rng.gaussian(k[0], k[2]);
        y = rng.gaussian(k[1], k[3]);
      } else {
        x = rng.uniform(0, s.width);
        y = rng.uniform(0, s.height);
      }
      flake(dark, rim, rng, x, y, flakeAngle, rimDx, rimDy);
    }
    long roughSeed = rng.nextLong();
    dark.modulate((x, y) -> 0.75 + 0.35 * Noise.value(roughSeed, x / 1.8, y / 1.8));
    Mask halo = dark.copy();
    halo.blur(2, 2);
    dark.blur(1, 1);
    s.darken(halo, rng.uniform(8, 18));
    s.darken(dark, rng.uniform(35, 65));
    s.brighten(rim, rng.uniform(8, 22));
  }

  /** One flake: a few overlapping small ellipses, mostly wider than tall, plus its highlight. */
  private static void flake(
      Mask dark, Mask rim, Rng rng, double x, double y, double angle, double rimDx, double rimDy) {
    int parts = rng.between(1, 4);
    double size = rng.uniform(1.3, 3.8);
    double strength = rng.uniform(0.55, 1);
    for (int p = 0; p < parts; p++) {
      double px = x + rng.gaussian(0, size * 0.8);
      double py = y + rng.gaussian(0, size * 0.5);
      double rx = size * rng.uniform(0.8, 1.6);
      double ry = size * rng.uniform(0.4, 0.9);
      double a = angle + rng.gaussian(0, 0.35);
      dark.ellipse(px, py, rx, ry, a, strength);
      rim.ellipse(px + rimDx, py + rimDy, rx * 0.8, ry * 0.5, a, strength * 0.7);
    }
  }
}
