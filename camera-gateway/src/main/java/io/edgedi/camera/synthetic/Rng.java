package io.edgedi.camera.synthetic;

import java.util.SplittableRandom;

/**
 * Seeded random source for the painters.
 *
 * <p>Gaussians are computed here with {@link StrictMath} rather than taken from the JDK so that the
 * stream of values, and therefore every generated image, is bit-identical on amd64 and arm64 and
 * across JDK versions.
 */
final class Rng {
  private final SplittableRandom random;
  private double spare;
  private boolean hasSpare;

  Rng(long seed) {
    this.random = new SplittableRandom(seed);
  }

  long nextLong() {
    return random.nextLong();
  }

  /**
   * Independent child stream; lets a sub-step draw any number of values without shifting later
   * ones.
   */
  Rng fork() {
    return new Rng(random.nextLong());
  }

  /** Uniform in [0, 1). */
  double uniform() {
    return random.nextDouble();
  }

  /** Uniform in [lo, hi). */
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * random.nextDouble();
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int between(int lo, int hi) {
    return lo + random.nextInt(hi - lo + 1);
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  /** Plus or minus one with equal probability. */
  double sign() {
    return random.nextBoolean() ? 1.0 : -1.0;
  }

  /** Standard normal via the polar Box-Muller method. */
  double gaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double m = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    spare = v * m;
    hasSpare = true;
    return u * m;
  }

  double gaussian(double mean, double sd) {
    return mean + sd * gaussian();
  }

  /**
   * Rounds a non-negative expected count stochastically, so fractional densities still average out.
   */
  int count(double expected) {
    int whole = (int) Math.floor(expected);
    return whole + (chance(expected - whole) ? 1 : 0);
  }
}
