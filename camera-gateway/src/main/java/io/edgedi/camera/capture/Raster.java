package io.edgedi.camera.capture;

/**
 * A gray image as floats (0..255 scale, not clipped) for the capture effects, with mirrored
 * borders: a blur or shift near the edge then sees surface texture, as a lens does, instead of a
 * black frame that no camera delivers.
 */
final class Raster {
  final int height;
  final int width;
  final float[] v;

  Raster(int height, int width, float[] v) {
    if (v.length != height * width) {
      throw new IllegalArgumentException(v.length + " values for " + height + "x" + width);
    }
    this.height = height;
    this.width = width;
    this.v = v;
  }

  static Raster of(byte[] pixels, int height, int width) {
    float[] v = new float[pixels.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = pixels[i] & 0xff;
    }
    return new Raster(height, width, v);
  }

  Raster blank() {
    return new Raster(height, width, new float[v.length]);
  }

  /** Rounded and clipped to 8 bits, as a camera writes it out. */
  byte[] toBytes() {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) clip8(v[i]);
    }
    return out;
  }

  static int clip8(double x) {
    long r = Math.round(x);
    return (int) Math.max(0, Math.min(255, r));
  }

  float at(int y, int x) {
    return v[mirror(y, height) * width + mirror(x, width)];
  }

  /** Bilinear sample at a fractional position, mirrored outside the frame. */
  float sample(double y, double x) {
    int y0 = (int) Math.floor(y);
    int x0 = (int) Math.floor(x);
    float fy = (float) (y - y0);
    float fx = (float) (x - x0);
    float top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx;
    float bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx;
    return top * (1 - fy) + bottom * fy;
  }

  static int mirror(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }
}
