package io.edgedi.camera.synthetic;

/**
 * Defect-free hot-rolled steel: a gray level with illumination drift, cloudy mottling, streaks
 * along the rolling direction, fine hatching from the rolls, and sensor grain.
 *
 * <p>The rolling direction is vertical (image y), as in NEU-CLS and in a line-scan camera looking
 * at a moving strip, where rows arrive over time.
 */
final class SteelBackground {
  private SteelBackground() {}

  /**
   * Amplitudes are in gray levels, roughly the size of a typical excursion of each layer.
   *
   * @param base mean gray level
   * @param illumination slow brightness drift over the whole image
   * @param lateral relative brightness falloff one image width from the lamp's centre column (0 =
   *     none)
   * @param mottle cloudy variation at a scale of a few tens of pixels
   * @param streaks banding elongated along the rolling direction
   * @param grain per-pixel sensor and surface grain
   * @param hatch contrast of fine straight roll marks (0 = none)
   * @param hatchAngle direction of the roll marks, radians from horizontal
   */
  record Style(
      double base,
      double illumination,
      double lateral,
      double mottle,
      double streaks,
      double grain,
      double hatch,
      double hatchAngle) {}

  /**
   * Plain strip steel for line-scan frames: moderate everything, so every defect kind shows on it.
   */
  static Style generic(Rng rng) {
    return new Style(
        rng.uniform(95, 150),
        rng.uniform(6, 14),
        rng.uniform(0.05, 0.35),
        rng.uniform(3, 7),
        rng.uniform(3, 8),
        rng.uniform(4, 8),
        rng.chance(0.5) ? rng.uniform(4, 9) : 0,
        rng.uniform(-0.6, 0.6));
  }

  static void render(Surface s, Style st, long seed) {
    Rng rng = new Rng(seed);
    long illumSeed = rng.nextLong();
    long mottleSeed = rng.nextLong();
    long streakSeed = rng.nextLong();
    long speckleSeed = rng.nextLong();
    // The lamp's hot spot sits somewhere across the strip; brightness drops off quadratically, by
    // the fraction `lateral` one frame width (or one NEU tile width, for small images) away.
    double lampCentre = rng.uniform(-0.1, 1.1) * s.width;
    double lampSpan = Math.max(s.width, 200);
    // A gentle linear tilt in the other direction too, as from uneven strip flatness.
    double tiltY = rng.gaussian() * st.illumination() * 0.6 / Math.max(s.height, 200);
    double illumScale = rng.uniform(180, 320);
    double mottleScale = rng.uniform(12, 28);
    double streakX = rng.uniform(6, 18);
    double streakY = rng.uniform(150, 400);

    float[] columnGain = new float[s.width];
    for (int x = 0; x < s.width; x++) {
      double d = (x - lampCentre) / lampSpan;
      columnGain[x] = (float) Math.max(0.3, 1 - st.lateral() * d * d);
    }

    float[] illum = coarse(illumSeed, illumScale, s.width, s.height);
    for (int y = 0; y < s.height; y++) {
      for (int x = 0; x < s.width; x++) {
        double level =
            st.base()
                + st.illumination() * 2.4 * illum[y * s.width + x]
                + tiltY * (y - s.height / 2.0)
                + st.mottle() * 1.6 * Noise.fractal(mottleSeed, x / mottleScale, y / mottleScale, 3)
                + st.streaks() * 1.6 * Noise.fractal(streakSeed, x / streakX, y / streakY, 3);
        s.v[y * s.width + x] = (float) (level * columnGain[x]);
      }
    }

    if (st.hatch() > 0) {
      hatch(s, st, rng.fork());
    }

    // Grain: white noise plus a slightly coarser speckle, so it is not perfectly pixel-sized. It
    // grows
    // with brightness, like shot noise, so bright steel looks rougher than dark steel, as in NEU.
    for (int y = 0; y < s.height; y++) {
      for (int x = 0; x < s.width; x++) {
        int i = y * s.width + x;
        double gain = Noise.clamp(0.45 + 0.55 * s.v[i] / Math.max(st.base(), 1), 0.3, 1.6);
        // Sum of three uniforms: bell-shaped enough for grain, and much cheaper than a true
        // gaussian.
        double white = (rng.uniform() + rng.uniform() + rng.uniform() - 1.5) * 2;
        double g = 0.5 * white + 1.3 * Noise.value(speckleSeed, x / 1.8, y / 1.8);
        s.v[i] += (float) (st.grain() * gain * g);
      }
    }
  }

  /**
   * Two-octave fractal noise at a scale of hundreds of pixels, evaluated on an 8-pixel grid and
   * interpolated: indistinguishable at that smoothness, and it keeps large line-scan frames fast.
   */
  private static float[] coarse(long seed, double scale, int w, int h) {
    final int step = 8;
    int gw = w / step + 2;
    int gh = h / step + 2;
    double[] grid = new double[gw * gh];
    for (int gy = 0; gy < gh; gy++) {
      for (int gx = 0; gx < gw; gx++) {
        grid[gy * gw + gx] = Noise.fractal(seed, gx * step / scale, gy * step / scale, 2);
      }
    }
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      int gy = y / step;
      double ty = (y % step) / (double) step;
      for (int x = 0; x < w; x++) {
        int gx = x / step;
        double tx = (x % step) / (double) step;
        double top = grid[gy * gw + gx] + (grid[gy * gw + gx + 1] - grid[gy * gw + gx]) * tx;
        double bottom =
            grid[(gy + 1) * gw + gx]
                + (grid[(gy + 1) * gw + gx + 1] - grid[(gy + 1) * gw + gx]) * tx;
        out[y * w + x] = (float) (top + (bottom - top) * ty);
      }
    }
    return out;
  }

  /** Fine, nearly parallel roll marks, some lighter and some darker than the steel around them. */
  private static void hatch(Surface s, Style st, Rng rng) {
    Mask light = Mask.like(s);
    Mask dark = Mask.like(s);
    double density = rng.uniform(0.5, 1.5);
    int n = rng.count(density * (s.width * (double) s.height) / 1000.0);
    for (int i = 0; i < n; i++) {
      double angle = st.hatchAngle() + rng.gaussian(0, 0.05);
      double len = rng.uniform(20, 160);
      double cx = rng.uniform(-20, s.width + 20);
      double cy = rng.uniform(-20, s.height + 20);
      double dx = StrictMath.cos(angle) * len / 2;
      double dy = StrictMath.sin(angle) * len / 2;
      double strength = rng.uniform(0.3, 1);
      Mask m = rng.chance(0.5) ? light : dark;
      m.segment(cx - dx, cy - dy, cx + dx, cy + dy, 0.45, 0.45, strength, strength);
    }
    s.brighten(light, st.hatch());
    s.darken(dark, st.hatch());
  }
}
