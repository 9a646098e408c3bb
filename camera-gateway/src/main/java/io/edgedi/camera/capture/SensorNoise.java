package io.edgedi.camera.capture;

import java.util.SplittableRandom;

/** What the sensor adds: read noise, photon shot noise, column gain non-uniformity. */
final class SensorNoise {
  private SensorNoise() {}

  /**
   * Signal-independent read/amplifier noise with standard deviation {@code sigma} (8-bit levels).
   */
  static Raster gaussian(Raster in, double sigma, SplittableRandom rnd) {
    Raster out = in.blank();
    for (int i = 0; i < in.v.length; i++) {
      out.v[i] = (float) (in.v[i] + sigma * gauss(rnd));
    }
    return out;
  }

  /**
   * Photon shot noise: Poisson in electrons, so brighter pixels are noisier. {@code sigmaAtMid} is
   * the resulting standard deviation at mid-gray (127.5) in 8-bit levels; the sensor's electrons
   * per level follow from it (127.5 / sigma^2).
   */
  static Raster shot(Raster in, double sigmaAtMid, SplittableRandom rnd) {
    if (sigmaAtMid <= 0) {
      return in;
    }
    double electronsPerLevel = 127.5 / (sigmaAtMid * sigmaAtMid);
    Raster out = in.blank();
    for (int i = 0; i < in.v.length; i++) {
      double mean = Math.max(0, in.v[i]) * electronsPerLevel;
      out.v[i] = (float) (poisson(mean, rnd) / electronsPerLevel);
    }
    return out;
  }

  /**
   * Photo-response non-uniformity of a line sensor without flat-field correction: every column (one
   * sensor pixel) has its own gain, 1 + N(0, {@code sigma}), so the frame shows stripes along the
   * transport direction.
   */
  static Raster columnGain(Raster in, double sigma, SplittableRandom rnd) {
    float[] gain = new float[in.width];
    for (int x = 0; x < in.width; x++) {
      gain[x] = (float) (1 + sigma * gauss(rnd));
    }
    Raster out = in.blank();
    for (int y = 0; y < in.height; y++) {
      for (int x = 0; x < in.width; x++) {
        int i = y * in.width + x;
        out.v[i] = in.v[i] * gain[x];
      }
    }
    return out;
  }

  static double gauss(SplittableRandom rnd) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - rnd.nextDouble();
    double w = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  }

  private static double poisson(double mean, SplittableRandom rnd) {
    if (mean > 30) {
      return Math.max(0, mean + Math.sqrt(mean) * gauss(rnd));
    }
    double limit = Math.exp(-mean);
    double p = rnd.nextDouble();
    int k = 0;
    while (p > limit) {
      p *= rnd.nextDouble();
      k++;
    }
    return k;
  }
}
