package io.edgedi.camera.source;

import io.edgedi.camera.synthetic.GrayImage;

/**
 * Resizes gray images, one axis at a time: an axis that shrinks is area-averaged (each output pixel
 * is the mean of the input area it covers, so no input pixel is ignored and fine texture does not
 * alias), an axis that grows is interpolated bilinearly with pixel centres aligned. Pure Java, so
 * the result is the same on every machine.
 */
public final class Resampler {
  private Resampler() {}

  public static GrayImage resize(GrayImage src, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
    if (src.width() == width && src.height() == height) {
      return src;
    }
    int sw = src.width();
    int sh = src.height();
    byte[] in = src.pixels();
    Taps horizontal = taps(sw, width);
    Taps vertical = taps(sh, height);

    float[] rows = new float[sh * width];
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < width; x++) {
        float acc = 0;
        for (int t = horizontal.start[x]; t < horizontal.start[x + 1]; t++) {
          acc += horizontal.weight[t] * (in[y * sw + horizontal.index[t]] & 0xFF);
        }
        rows[y * width + x] = acc;
      }
    }
    byte[] out = new byte[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float acc = 0;
        for (int t = vertical.start[y]; t < vertical.start[y + 1]; t++) {
          acc += vertical.weight[t] * rows[vertical.index[t] * width + x];
        }
        int q = Math.round(acc);
        out[y * width + x] = (byte) (q < 0 ? 0 : Math.min(q, 255));
      }
    }
    return new GrayImage(width, height, out);
  }

  /**
   * Sparse weights: output i takes {@code weight[t] * in[index[t]]} for t in {@code [start[i],
   * start[i+1])}.
   */
  private record Taps(int[] start, int[] index, float[] weight) {}

  private static Taps taps(int n, int m) {
    int[] start = new int[m + 1];
    int[] index = new int[m * (n / m + 2) + 2];
    float[] weight = new float[index.length];
    int t = 0;
    if (m == n) {
      for (int i = 0; i < m; i++) {
        start[i] = t;
        index[t] = i;
        weight[t++] = 1;
      }
    } else if (m < n) {
      // Output i covers input interval [i * n / m, (i + 1) * n / m); weight = overlap / width.
      double scale = n / (double) m;
      for (int i = 0; i < m; i++) {
        start[i] = t;
        double lo = i * scale;
        double hi = (i + 1) * scale;
        for (int j = (int) Math.floor(lo); j < Math.min(n, (int) Math.ceil(hi)); j++) {
          double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
          if (overlap > 1e-9) {
            index[t] = j;
            weight[t++] = (float) (overlap / scale);
          }
        }
      }
    } else {
      double scale = n / (double) m;
      for (int i = 0; i < m; i++) {
        start[i] = t;
        double pos = Math.max(0, Math.min(n - 1, (i + 0.5) * scale - 0.5));
        int j = (int) Math.floor(pos);
        double f = pos - j;
        index[t] = j;
        weight[t++] = (float) (1 - f);
        if (f > 0 && j + 1 < n) {
          index[t] = j + 1;
          weight[t++] = (float) f;
        }
      }
    }
    start[m] = t;
    return new Taps(start, index, weight);
  }
}
