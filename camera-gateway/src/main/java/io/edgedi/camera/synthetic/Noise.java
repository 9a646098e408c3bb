package io.edgedi.camera.synthetic;

/**
 * Hash-based 2-D value noise.
 *
 * <p>Values come from hashing the lattice coordinates with a seed rather than from a random stream,
 * so any pixel can be evaluated in any order, and a big line-scan frame and a small tile use the
 * same code path.
 */
final class Noise {
  private Noise() {}

  /** SplitMix64 finaliser: cheap, and good enough avalanche for texture. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Deterministic value in [-1, 1) for an integer lattice point. */
  static double lattice(long seed, long ix, long iy) {
    long h = mix(seed ^ mix(ix * 0x9E3779B97F4A7C15L + iy * 0xC2B2AE3D27D4EB4FL));
    return (h >>> 11) * 0x1.0p-52 - 1.0;
  }

  /** Smooth value noise in roughly [-1, 1], one lattice cell per unit of x and y. */
  static double value(long seed, double x, double y) {
    double fx = Math.floor(x);
    double fy = Math.floor(y);
    long ix = (long) fx;
    long iy = (long) fy;
    double tx = fade(x - fx);
    double ty = fade(y - fy);
    double a = lattice(seed, ix, iy);
    double b = lattice(seed, ix + 1, iy);
    double c = lattice(seed, ix, iy + 1);
    double d = lattice(seed, ix + 1, iy + 1);
    double top = a + (b - a) * tx;
    double bottom = c + (d - c) * tx;
    return top + (bottom - top) * ty;
  }

  /**
   * Sum of {@code octaves} layers of value noise, each at double frequency and half amplitude,
   * normalised back to roughly [-1, 1]. Each octave gets its own seed so their lattices do not line
   * up.
   */
  static double fractal(long seed, double x, double y, int octaves) {
    double sum = 0;
    double amp = 1;
    double norm = 0;
    double f = 1;
    for (int o = 0; o < octaves; o++) {
      sum += amp * value(seed + o * 0x632BE59BD9B4E019L, x * f, y * f);
      norm += amp;
      amp *= 0.5;
      f *= 2;
    }
    return sum / norm;
  }

  /**
   * Quintic fade: hides the lattice better than smoothstep, which matters for the flat backgrounds.
   */
  private static double fade(double t) {
    return t * t * t * (t * (t * 6 - 15) + 10);
  }

  static double smoothstep(double edge0, double edge1, double x) {
    double t = clamp((x - edge0) / (edge1 - edge0), 0, 1);
    return t * t * (3 - 2 * t);
  }

  static double clamp(double v, double lo, double hi) {
    return v < lo ? lo : (v > hi ? hi : v);
  }
}
