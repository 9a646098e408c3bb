package io.edgedi.camera.synthetic;

/**
 * Coverage layer in 0..1 that painters build up before applying it to a {@link Surface} once.
 *
 * <p>Shapes are combined with {@code max}, not summed, so a crack drawn as overlapping discs, or
 * two pits that touch, come out evenly dark instead of getting darker where the stamps overlap.
 */
final class Mask {
  final int width;
  final int height;
  final float[] a;

  Mask(int width, int height) {
    this.width = width;
    this.height = height;
    this.a = new float[width * height];
  }

  static Mask like(Surface s) {
    return new Mask(s.width, s.height);
  }

  Mask copy() {
    Mask c = new Mask(width, height);
    System.arraycopy(a, 0, c.a, 0, a.length);
    return c;
  }

  float get(int x, int y) {
    return a[y * width + x];
  }

  private void put(int x, int y, double value) {
    int i = y * width + x;
    if (value > a[i]) {
      a[i] = (float) value;
    }
  }

  /**
   * Filled, anti-aliased ellipse. {@code angle} rotates the x radius, in radians. Radii below half
   * a pixel are clamped and their strength lowered instead, so tiny pits fade rather than vanish.
   */
  void ellipse(double cx, double cy, double rx, double ry, double angle, double strength) {
    double area = Math.max(rx, 0.01) * Math.max(ry, 0.01);
    if (rx < 0.5 || ry < 0.5) {
      strength *= Math.min(1.0, area / 0.25);
      rx = Math.max(rx, 0.5);
      ry = Math.max(ry, 0.5);
    }
    double c = StrictMath.cos(angle);
    double s = StrictMath.sin(angle);
    double ext = Math.max(rx, ry) + 1.5;
    int x0 = Math.max(0, (int) Math.floor(cx - ext));
    int x1 = Math.min(width - 1, (int) Math.ceil(cx + ext));
    int y0 = Math.max(0, (int) Math.floor(cy - ext));
    int y1 = Math.min(height - 1, (int) Math.ceil(cy + ext));
    double minR = Math.min(rx, ry);
    for (int y = y0; y <= y1; y++) {
      double dy = y - cy;
      for (int x = x0; x <= x1; x++) {
        double dx = x - cx;
        double u = (dx * c + dy * s) / rx;
        double w = (-dx * s + dy * c) / ry;
        double d = Math.sqrt(u * u + w * w);
        // Distance to the rim in pixels, approximated along the short axis; +0.5 centres the
        // 1-pixel anti-aliasing ramp on the rim.
        double cover = (1 - d) * minR + 0.5;
        if (cover > 0) {
          put(x, y, strength * Math.min(1.0, cover));
        }
      }
    }
  }

  void disc(double cx, double cy, double r, double strength) {
    ellipse(cx, cy, r, r, 0, strength);
  }

  /**
   * Smooth dome {@code strength * (1 - d^2)} inside a rotated ellipse: a soft envelope for large
   * stains whose rim is later roughened by noise.
   */
  void dome(double cx, double cy, double rx, double ry, double angle, double strength) {
    double c = StrictMath.cos(angle);
    double s = StrictMath.sin(angle);
    double ext = Math.max(rx, ry) + 1;
    int x0 = Math.max(0, (int) Math.floor(cx - ext));
    int x1 = Math.min(width - 1, (int) Math.ceil(cx + ext));
    int y0 = Math.max(0, (int) Math.floor(cy - ext));
    int y1 = Math.min(height - 1, (int) Math.ceil(cy + ext));
    for (int y = y0; y <= y1; y++) {
      double dy = y - cy;
      for (int x = x0; x <= x1; x++) {
        double dx = x - cx;
        double u = (dx * c + dy * s) / rx;
        double w = (-dx * s + dy * c) / ry;
        double d2 = u * u + w * w;
        if (d2 < 1) {
          put(x, y, strength * (1 - d2));
        }
      }
    }
  }

  /**
   * Thick segment drawn as discs every half pixel, with radius and strength interpolated from the
   * start to the end; chains of these make cracks and scratches.
   */
  void segment(
      double x0, double y0, double x1, double y1, double r0, double r1, double s0, double s1) {
    double len = Math.sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
    int steps = Math.max(1, (int) Math.ceil(len * 2));
    for (int i = 0; i <= steps; i++) {
      double t = i / (double) steps;
      disc(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, r0 + (r1 - r0) * t, s0 + (s1 - s0) * t);
    }
  }

  /**
   * Box blur of the given radius, applied {@code passes} times (three passes is close to Gaussian).
   */
  void blur(int radius, int passes) {
    if (radius <= 0) {
      return;
    }
    float[] tmp = new float[a.length];
    for (int p = 0; p < passes; p++) {
      blurLines(a, tmp, width, height, 1, width, radius);
      blurLines(tmp, a, height, width, width, 1, radius);
    }
  }

  /** One-dimensional running-sum blur along lines; edges are clamped so borders do not fade. */
  private static void blurLines(
      float[] src, float[] dst, int len, int lines, int step, int lineStep, int r) {
    float norm = 1f / (2 * r + 1);
    for (int line = 0; line < lines; line++) {
      int base = line * lineStep;
      double sum = 0;
      for (int k = -r; k <= r; k++) {
        sum += src[base + clampIndex(k, len) * step];
      }
      for (int i = 0; i < len; i++) {
        dst[base + i * step] = (float) (sum * norm);
        sum +=
            src[base + clampIndex(i + r + 1, len) * step]
                - src[base + clampIndex(i - r, len) * step];
      }
    }
  }

  private static int clampIndex(int i, int len) {
    return i < 0 ? 0 : (i >= len ? len - 1 : i);
  }

  /** Multiplies every value by {@code f(x, y)}; used to break up shapes with noise. */
  void modulate(PixelFunction f) {
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        if (a[i] != 0) {
          a[i] = (float) Noise.clamp(a[i] * f.at(x, y), 0, 1);
        }
      }
    }
  }

  /** Replaces every value by {@code f(value, x, y)}, clamped to 0..1. */
  void map(ValueFunction f) {
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        a[i] = (float) Noise.clamp(f.at(a[i], x, y), 0, 1);
      }
    }
  }

  @FunctionalInterface
  interface PixelFunction {
    double at(int x, int y);
  }

  @FunctionalInterface
  interface ValueFunction {
    double at(double value, int x, int y);
  }
}
