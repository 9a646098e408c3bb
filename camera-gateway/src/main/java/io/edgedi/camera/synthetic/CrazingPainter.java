package io.edgedi.camera.synthetic;

/**
 * Crazing: a network of thin, dark, meandering hairline cracks over the whole surface.
 *
 * <p>Each crack is a random walk whose heading drifts smoothly, with occasional side branches; many
 * of them, mostly sharing a dominant direction, read as a crack network rather than as separate
 * lines.
 */
final class CrazingPainter implements DefectPainter {
  @Override
  public DefectClass kind() {
    return DefectClass.CRAZING;
  }

  @Override
  public SteelBackground.Style tileBackground(Rng rng) {
    // NEU crazing images are bright and very grainy; the grain is part of what defines the class.
    return new SteelBackground.Style(
        rng.uniform(110, 185),
        rng.uniform(15, 30),
        rng.uniform(0, 0.3),
        rng.uniform(12, 22),
        rng.uniform(2, 7),
        rng.uniform(13, 21),
        rng.chance(0.5) ? rng.uniform(5, 11) : 0,
        rng.uniform(-0.8, 0.8));
  }

  @Override
  public void paint(Surface s, Rng rng) {
    Mask cracks = Mask.like(s);
    // Mostly horizontal networks, as in NEU; a quarter of the time any direction.
    double dominant = rng.chance(0.75) ? rng.gaussian(0, 0.25) : rng.uniform(0, Math.PI);
    double wiggle = rng.uniform(0.05, 0.14);
    int n = Math.max(3, rng.count(DefectPainter.areaFactor(s) * rng.uniform(12, 30)));
    for (int i = 0; i < n; i++) {
      double heading = dominant + rng.gaussian(0, 0.35) + (rng.chance(0.5) ? 0 : Math.PI);
      walk(
          cracks,
          rng,
          rng.uniform(-10, s.width + 10),
          rng.uniform(-10, s.height + 10),
          heading,
          rng.uniform(25, 110),
          wiggle,
          rng.uniform(0.55, 0.95),
          rng.uniform(0.55, 1),
          0);
    }
    // A faint dark halo makes the cracks read at NEU's blur level instead of as pen strokes.
    Mask halo = cracks.copy();
    halo.blur(2, 2);
    s.darken(halo, rng.uniform(15, 30));
    s.darken(cracks, rng.uniform(42, 70));

    // A few small dark pits, often seen where cracks meet.
    Mask specks = Mask.like(s);
    int nSpecks = rng.count(DefectPainter.areaFactor(s) * rng.uniform(0, 4));
    for (int i = 0; i < nSpecks; i++) {
      specks.ellipse(
          rng.uniform(0, s.width),
          rng.uniform(0, s.height),
          rng.uniform(1, 3),
          rng.uniform(1.5, 4),
          rng.uniform(0, Math.PI),
          rng.uniform(0.6, 1));
    }
    specks.blur(1, 1);
    s.darken(specks, rng.uniform(40, 70));
  }

  /** One crack as a 1-pixel-step random walk; may spawn shorter branches up to two levels deep. */
  private static void walk(
      Mask m,
      Rng rng,
      double x,
      double y,
      double heading,
      double length,
      double wiggle,
      double radius,
      double strength,
      int depth) {
    double turn = 0;
    double start = heading;
    int steps = (int) length;
    for (int i = 0; i < steps; i++) {
      // Turning rate is itself smoothed so cracks bend in arcs rather than jittering per pixel.
      turn = 0.8 * turn + rng.gaussian(0, wiggle * 0.5);
      heading += turn * 0.5;
      // Pull back towards the initial direction so cracks meander but never curl into loops.
      heading += 0.08 * (start - heading);
      // Sideways jitter makes the line jagged at pixel scale, like a brittle fracture.
      double jitter = rng.gaussian(0, 0.35);
      double nx = x + StrictMath.cos(heading) - StrictMath.sin(heading) * jitter;
      double ny = y + StrictMath.sin(heading) + StrictMath.cos(heading) * jitter;
      double t = i / (double) steps;
      // Taper both ends so cracks start and stop as hairlines.
      double taper = Math.min(1, 4 * Math.min(t, 1 - t) + 0.25);
      double st = strength * taper * rng.uniform(0.8, 1);
      m.segment(x, y, nx, ny, radius * taper, radius * taper, st, st);
      x = nx;
      y = ny;
      if (depth < 2 && rng.chance(0.012)) {
        walk(
            m,
            rng,
            x,
            y,
            heading + rng.sign() * rng.uniform(0.6, 1.4),
            length * rng.uniform(0.2, 0.5),
            wiggle,
            radius * 0.85,
            strength * 0.9,
            depth + 1);
      }
    }
  }
}
