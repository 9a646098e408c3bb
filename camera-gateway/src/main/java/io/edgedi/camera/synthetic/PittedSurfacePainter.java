package io.edgedi.camera.synthetic;

/**
 * Pitted surface: many small dark pits, slightly elongated along the rolling direction, with uneven
 * density (clusters and bands), sometimes around a grayish corroded area.
 */
final class PittedSurfacePainter implements DefectPainter {
  @Override
  public DefectClass kind() {
    return DefectClass.PITTED_SURFACE;
  }

  @Override
  public SteelBackground.Style tileBackground(Rng rng) {
    // NEU pitted images are the brightest class, with a smooth fine-grained surface.
    return new SteelBackground.Style(
        rng.uniform(160, 235),
        rng.uniform(12, 28),
        rng.uniform(0.05, 0.45),
        rng.uniform(2, 6),
        rng.uniform(2, 6),
        rng.uniform(2.5, 6),
        0,
        0);
  }

  @Override
  public void paint(Surface s, Rng rng) {
    double area = DefectPainter.areaFactor(s);
    Mask pits = Mask.like(s);

    // Density field: pits favour some regions. Low-frequency noise plus a few gaussian clusters.
    long densitySeed = rng.nextLong();
    double densityScale = rng.uniform(40, 90);
    double patchiness = rng.uniform(0.4, 1.2);
    int clusters = rng.between(0, 3);
    double[][] c = new double[clusters][4];
    for (int k = 0; k < clusters; k++) {
      c[k] =
          new double[] {
            rng.uniform(0, s.width),
            rng.uniform(0, s.height),
            rng.uniform(12, 35),
            rng.uniform(1, 2.5)
          };
    }

    boolean corroded = rng.chance(0.35);
    Mask corrosion = corroded ? corrosion(s, rng) : null;

    int n = rng.count(area * rng.uniform(300, 900));
    int placed = 0;
    // Rejection sampling against the density field; the attempt cap keeps worst-case time bounded.
    for (int attempt = 0; attempt < n * 6 && placed < n; attempt++) {
      double x;
      double y;
      if (clusters > 0 && rng.chance(0.35)) {
        double[] k = c[rng.between(0, clusters - 1)];
        x = rng.gaussian(k[0], k[2]);
        y = rng.gaussian(k[1], k[2] * k[3]);
      } else {
        x = rng.uniform(0, s.width);
        y = rng.uniform(0, s.height);
      }
      double d =
          0.45 + patchiness * Noise.fractal(densitySeed, x / densityScale, y / densityScale, 2);
      if (corrosion != null && x >= 0 && y >= 0 && x < s.width && y < s.height) {
        d += 1.5 * corrosion.get((int) x, (int) y);
      }
      if (!rng.chance(Noise.clamp(d, 0.03, 1))) {
        continue;
      }
      placed++;
      double rx = rng.uniform(0.5, 1.3);
      double ry = rx * rng.uniform(1.4, 3.0);
      if (rng.chance(0.04)) { // the odd larger pit
        rx *= 2;
        ry *= 1.8;
      }
      pits.ellipse(x, y, rx, ry, rng.gaussian(0, 0.25), rng.uniform(0.35, 1));
    }
    if (corrosion != null) {
      s.darken(corrosion, rng.uniform(15, 40));
    }
    // A soft shadow around each pit reproduces the out-of-focus look of the NEU pits.
    Mask shadow = pits.copy();
    shadow.blur(1, 2);
    pits.blur(1, 1);
    s.darken(shadow, rng.uniform(10, 25));
    s.darken(pits, rng.uniform(30, 65));
  }

  /** An irregular grayish corroded area, usually reaching in from an edge. */
  private static Mask corrosion(Surface s, Rng rng) {
    Mask m = Mask.like(s);
    double x = rng.chance(0.5) ? rng.uniform(0, 0.25) * s.width : rng.uniform(0.75, 1) * s.width;
    double y = rng.uniform(0.2, 0.8) * s.height;
    int lobes = rng.between(2, 4);
    for (int i = 0; i < lobes; i++) {
      m.dome(x, y, rng.uniform(15, 40), rng.uniform(25, 60), rng.gaussian(0, 0.3), 1);
      x += rng.gaussian(0, 20);
      y += rng.gaussian(0, 35);
    }
    long seed = rng.nextLong();
    m.map(
        (v, px, py) ->
            Noise.smoothstep(0.25, 0.4, v + 0.5 * Noise.fractal(seed, px / 14.0, py / 14.0, 5)));
    m.blur(1, 1);
    return m;
  }
}
