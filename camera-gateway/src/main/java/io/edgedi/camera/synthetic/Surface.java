package io.edgedi.camera.synthetic;

/**
 * Floating-point working canvas in 0..255 units.
 *
 * <p>Painting in floats and quantising once at the end keeps faint layers (grain, halos) from being
 * rounded away and lets intermediate values overshoot 0..255 without wrapping.
 */
final class Surface {
  final int width;
  final int height;
  final float[] v;

  Surface(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.v = new float[width * height];
  }

  float get(int x, int y) {
    return v[y * width + x];
  }

  /**
   * {@code v -= amount * mask}: a dark mark whose depth does not depend on the local brightness.
   */
  void darken(Mask m, double amount) {
    checkSize(m);
    for (int i = 0; i < v.length; i++) {
      v[i] -= (float) (amount * m.a[i]);
    }
  }

  void brighten(Mask m, double amount) {
    darken(m, -amount);
  }

  /**
   * {@code v *= 1 - depth * mask}: a stain that keeps the background texture visible inside it,
   * scaled down, which is what real oxide patches look like.
   */
  void shade(Mask m, double depth) {
    checkSize(m);
    for (int i = 0; i < v.length; i++) {
      v[i] *= (float) (1 - depth * m.a[i]);
    }
  }

  /** Copy of a rectangle, so a painter can work in local coordinates on the real background. */
  Surface copy(Box b) {
    Surface s = new Surface(b.width(), b.height());
    for (int row = 0; row < b.height(); row++) {
      System.arraycopy(v, (b.y() + row) * width + b.x(), s.v, row * b.width(), b.width());
    }
    return s;
  }

  /**
   * Blends a painted copy back in. Within {@code feather} pixels of the rectangle's edge the change
   * is faded out so a defect never ends in a hard straight border.
   *
   * @return tight box around pixels that changed by at least {@code labelThreshold}, in this
   *     surface's coordinates, or {@code null} if nothing changed that much
   */
  Box blendBack(Surface painted, Box b, int feather, double labelThreshold) {
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = -1;
    int maxY = -1;
    for (int row = 0; row < b.height(); row++) {
      double wy = edgeWeight(row, b.height(), feather);
      for (int col = 0; col < b.width(); col++) {
        double w = wy * edgeWeight(col, b.width(), feather);
        int src = row * b.width() + col;
        int dst = (b.y() + row) * width + b.x() + col;
        double delta = w * (painted.v[src] - v[dst]);
        v[dst] += (float) delta;
        if (Math.abs(delta) >= labelThreshold) {
          minX = Math.min(minX, col);
          maxX = Math.max(maxX, col);
          minY = Math.min(minY, row);
          maxY = Math.max(maxY, row);
        }
      }
    }
    if (maxX < 0) {
      return null;
    }
    return new Box(b.x() + minX, b.y() + minY, maxX - minX + 1, maxY - minY + 1);
  }

  private static double edgeWeight(int i, int n, int feather) {
    if (feather <= 0) {
      return 1;
    }
    int d = Math.min(i, n - 1 - i);
    return Noise.smoothstep(0, feather, d + 0.5);
  }

  GrayImage toGrayImage() {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      int q = Math.round(v[i]);
      out[i] = (byte) (q < 0 ? 0 : (q > 255 ? 255 : q));
    }
    return GrayImage.wrap(width, height, out);
  }

  private void checkSize(Mask m) {
    if (m.width != width || m.height != height) {
      throw new IllegalArgumentException(
          "mask " + m.width + "x" + m.height + " vs surface " + width + "x" + height);
    }
  }
}
