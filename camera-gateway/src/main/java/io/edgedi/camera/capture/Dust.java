package io.edgedi.camera.capture;

import java.util.SplittableRandom;

/**
 * Dust and specks on the cover glass or lens: {@code count} soft dark spots of 1..3 px radius, each
 * taking away 30..70% of the light. Out of the focal plane, so their edges are soft.
 */
final class Dust {
  private Dust() {}

  static Raster specks(Raster in, double count, SplittableRandom rnd) {
    Raster out = new Raster(in.height, in.width, in.v.clone());
    int n = (int) Math.round(count);
    for (int k = 0; k < n; k++) {
      double cy = rnd.nextDouble() * in.height;
      double cx = rnd.nextDouble() * in.width;
      double radius = 1 + 2 * rnd.nextDouble();
      double depth = 0.3 + 0.4 * rnd.nextDouble();
      int r = (int) Math.ceil(radius + 1);
      for (int y = (int) cy - r; y <= (int) cy + r; y++) {
        for (int x = (int) cx - r; x <= (int) cx + r; x++) {
          if (y < 0 || x < 0 || y >= in.height || x >= in.width) {
            continue;
          }
          double d = Math.hypot(y + 0.5 - cy, x + 0.5 - cx);
          double cover = Math.max(0, Math.min(1, radius + 0.5 - d));
          out.v[y * in.width + x] *= (float) (1 - depth * cover);
        }
      }
    }
    return out;
  }
}
