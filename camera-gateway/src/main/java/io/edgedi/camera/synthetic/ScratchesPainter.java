package io.edgedi.camera.synthetic;

/**
 * Scratches: a few long, thin, nearly straight lines, usually bright (polished by whatever scraped
 * the strip) and usually along the rolling direction, sometimes in parallel bundles.
 */
final class ScratchesPainter implements DefectPainter {
  @Override
  public DefectClass kind() {
    return DefectClass.SCRATCHES;
  }

  @Override
  public SteelBackground.Style tileBackground(Rng rng) {
    // NEU scratches images are fairly dark and smooth, with strong banding along the rolling
    // direction.
    return new SteelBackground.Style(
        rng.uniform(65, 140),
        rng.uniform(8, 20),
        rng.uniform(0.05, 0.45),
        rng.uniform(2, 5),
        rng.uniform(5, 12),
        rng.uniform(2.5, 5),
        0,
        0);
  }

  @Override
  public void paint(Surface s, Rng rng) {
    // Work in (along, across) coordinates; "along" is y for vertical scratches. Horizontal ones
    // occur in NEU too, but only when the region is not much taller than wide.
    boolean horizontal = s.width >= 0.8 * s.height && rng.chance(0.2);
    int along = horizontal ? s.width : s.height;
    int across = horizontal ? s.height : s.width;

    Mask bright = Mask.like(s);
    Mask dark = Mask.like(s);
    int groups = Math.max(1, rng.count(rng.uniform(1, 3.5) * Math.max(1, across / 200.0)));
    for (int gi = 0; gi < groups; gi++) {
      // The first group is always bright so every image shows at least one clear scratch.
      Mask m = (gi == 0 || rng.chance(0.7)) ? bright : dark;
      // Mostly single scratches; bundles (several tips of one tool) are less common and small.
      int lines = rng.chance(0.65) ? 1 : (rng.chance(0.75) ? rng.between(2, 3) : rng.between(4, 5));
      double p0 = rng.uniform(0.06, 0.94) * across;
      double slope = rng.gaussian(0, 0.05);
      double bend = rng.gaussian(0, 2.5);
      double full = rng.chance(0.65) ? 1 : rng.uniform(0.5, 0.9);
      double start = (1 - full) * rng.uniform() * along;
      double spacing = rng.uniform(3.5, 9);
      double width = rng.uniform(0.7, 1.8);
      long breakSeed = rng.nextLong();
      for (int li = 0; li < lines; li++) {
        double offset = li * spacing + rng.gaussian(0, 0.6);
        double w = width * rng.uniform(0.6, 1.1);
        double len = full * along * rng.uniform(0.8, 1);
        double lineStart = start + rng.uniform(0, full * along - len);
        double strength = rng.uniform(0.55, 1);
        stroke(
            m,
            horizontal,
            lineStart,
            len,
            p0 + offset,
            slope,
            bend,
            along,
            w,
            strength,
            breakSeed + li);
      }
    }
    // Soften the profile: real scratches are brightest in the middle, not flat-topped bars.
    bright.blur(1, 1);
    dark.blur(1, 1);
    // A wider faint glow around bright scratches, as the camera sees specular lines.
    Mask glow = bright.copy();
    glow.blur(3, 2);
    s.brighten(glow, rng.uniform(20, 45));
    s.brighten(bright, rng.uniform(70, 140));
    s.darken(dark, rng.uniform(25, 50));
  }

  /** Draws one scratch as short segments; strength follows noise so the line fades and breaks. */
  private static void stroke(
      Mask m,
      boolean horizontal,
      double start,
      double len,
      double across0,
      double slope,
      double bend,
      int along,
      double width,
      double strength,
      long seed) {
    double step = 2;
    int n = Math.max(2, (int) (len / step));
    double prevA = 0;
    double prevC = 0;
    double prevS = 0;
    double prevW = 0;
    for (int i = 0; i <= n; i++) {
      double a = start + i * step;
      double t = (a - along / 2.0) / along;
      // Quadratic bend: a gently curved line, as a slightly skewed drag would leave.
      double c = across0 + slope * (a - along / 2.0) + bend * (4 * t * t - 1);
      double mod = Noise.smoothstep(-0.45, 0.1, Noise.fractal(seed, a / 40.0, 0, 2));
      // Taper over the first and last ~15 px so scratches start and end as fine points.
      double taper = Noise.smoothstep(0, 15, Math.min(i * step, len - i * step));
      double w = 0.4 + 0.6 * taper;
      double st = strength * (0.35 + 0.65 * mod) * taper;
      if (i > 0) {
        if (horizontal) {
          m.segment(prevA, prevC, a, c, width * prevW, width * w, prevS, st);
        } else {
          m.segment(prevC, prevA, c, a, width * prevW, width * w, prevS, st);
        }
      }
      prevA = a;
      prevC = c;
      prevS = st;
      prevW = w;
    }
  }
}
