package io.edgedi.camera.capture;

/** What the optics and the moving strip do: defocus and motion blur. */
final class Blur {
  private Blur() {}

  /**
   * Defocus: a pillbox (uniform disk) point spread function of {@code radius} pixels, the
   * geometric-optics blur circle of a lens slightly out of focus. Edge pixels of the disk are
   * weighted by how much of them the circle covers (approximated linearly).
   */
  static Raster defocus(Raster in, double radius) {
    if (radius <= 0.05) {
      return in;
    }
    int r = (int) Math.ceil(radius);
    int side = 2 * r + 1;
    float[] k = new float[side * side];
    double sum = 0;
    for (int dy = -r; dy <= r; dy++) {
      for (int dx = -r; dx <= r; dx++) {
        double cover = Math.max(0, Math.min(1, radius + 0.5 - Math.hypot(dx, dy)));
        k[(dy + r) * side + dx + r] = (float) cover;
        sum += cover;
      }
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= (float) sum;
    }
    Raster out = in.blank();
    for (int y = 0; y < in.height; y++) {
      for (int x = 0; x < in.width; x++) {
        float acc = 0;
        for (int dy = -r; dy <= r; dy++) {
          for (int dx = -r; dx <= r; dx++) {
            float w = k[(dy + r) * side + dx + r];
            if (w != 0) {
              acc += w * in.at(y + dy, x + dx);
            }
          }
        }
        out.v[y * in.width + x] = acc;
      }
    }
    return out;
  }

  /**
   * Motion blur: the strip moves {@code length} pixels during the exposure along direction {@code
   * angleRad} (0 = along x). Integrates the image over that path in quarter-pixel steps.
   */
  static Raster motion(Raster in, double length, double angleRad) {
    if (length <= 0.25) {
      return in;
    }
    int steps = Math.max(2, (int) Math.ceil(length * 4));
    double cx = Math.cos(angleRad);
    double cy = Math.sin(angleRad);
    Raster out = in.blank();
    for (int y = 0; y < in.height; y++) {
      for (int x = 0; x < in.width; x++) {
        float acc = 0;
        for (int s = 0; s <= steps; s++) {
          double t = (s / (double) steps - 0.5) * length;
          acc += in.sample(y + t * cy, x + t * cx);
        }
        out.v[y * in.width + x] = acc / (steps + 1);
      }
    }
    return out;
  }
}
