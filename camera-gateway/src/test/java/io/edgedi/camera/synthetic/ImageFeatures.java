package io.edgedi.camera.synthetic;

import java.util.Arrays;

/** Cheap hand-made image statistics, used by the tests to check that classes look different. */
final class ImageFeatures {
  final double mean;
  final double sd;

  /** Mean absolute horizontal / vertical neighbour difference: texture and edge density. */
  final double gradX;

  final double gradY;

  /**
   * Fraction of pixels more than 15 levels darker / brighter than their 11x11 neighbourhood: small
   * marks.
   */
  final double localDark;

  final double localBright;

  /** Fraction of pixels more than 40 levels below the median: large dark areas. */
  final double bigDark;

  private ImageFeatures(GrayImage img) {
    int w = img.width();
    int h = img.height();
    float[] p = img.toFloatArray();
    int n = p.length;
    double m = 0;
    for (float v : p) {
      m += v;
    }
    m /= n;
    double var = 0;
    for (float v : p) {
      var += (v - m) * (v - m);
    }
    mean = m;
    sd = Math.sqrt(var / n);

    double gx = 0;
    double gy = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (x + 1 < w) {
          gx += Math.abs(p[y * w + x + 1] - p[y * w + x]);
        }
        if (y + 1 < h) {
          gy += Math.abs(p[(y + 1) * w + x] - p[y * w + x]);
        }
      }
    }
    gradX = gx / ((w - 1) * (double) h);
    gradY = gy / (w * (double) (h - 1));

    // Integral image for the box means.
    double[] integral = new double[(w + 1) * (h + 1)];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        integral[(y + 1) * (w + 1) + x + 1] =
            p[y * w + x]
                + integral[y * (w + 1) + x + 1]
                + integral[(y + 1) * (w + 1) + x]
                - integral[y * (w + 1) + x];
      }
    }
    int r = 5;
    int dark = 0;
    int bright = 0;
    int count = 0;
    for (int y = r; y < h - r; y++) {
      for (int x = r; x < w - r; x++) {
        double sum =
            integral[(y + r + 1) * (w + 1) + x + r + 1]
                - integral[(y - r) * (w + 1) + x + r + 1]
                - integral[(y + r + 1) * (w + 1) + x - r]
                + integral[(y - r) * (w + 1) + x - r];
        double d = p[y * w + x] - sum / ((2 * r + 1) * (2 * r + 1));
        if (d < -15) {
          dark++;
        }
        if (d > 15) {
          bright++;
        }
        count++;
      }
    }
    localDark = dark / (double) count;
    localBright = bright / (double) count;

    float[] sorted = p.clone();
    Arrays.sort(sorted);
    double median = sorted[n / 2];
    int big = 0;
    for (float v : p) {
      if (v < median - 40) {
        big++;
      }
    }
    bigDark = big / (double) n;
  }

  static ImageFeatures of(GrayImage img) {
    return new ImageFeatures(img);
  }

  /** Feature vector for the nearest-centroid check; logs tame the heavy-tailed fractions. */
  double[] vector() {
    return new double[] {
      mean / 50,
      Math.log(sd + 1),
      Math.log(gradX + 0.5),
      Math.log(gradY + 0.5),
      Math.log(gradX + 0.5) - Math.log(gradY + 0.5),
      Math.log(localDark + 1e-3),
      Math.log(localBright + 1e-3),
      Math.log(bigDark + 1e-3),
    };
  }
}
