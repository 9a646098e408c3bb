package io.edgedi.camera.capture;

/** What the light and the lens do to brightness: exposure drift, haze, uneven illumination. */
final class Lighting {
  private Lighting() {}

  /** Exposure or gain off by {@code stops} (2^stops), clipping at white like a real sensor. */
  static Raster exposure(Raster in, double stops) {
    float g = (float) Math.pow(2, stops);
    Raster out = in.blank();
    for (int i = 0; i < in.v.length; i++) {
      out.v[i] = in.v[i] * g;
    }
    return out;
  }

  /** Contrast lost by a fraction {@code loss} around the frame mean (flat or stray light). */
  static Raster contrast(Raster in, double loss) {
    double mean = 0;
    for (float x : in.v) {
      mean += x;
    }
    mean /= in.v.length;
    float keep = (float) (1 - loss);
    Raster out = in.blank();
    for (int i = 0; i < in.v.length; i++) {
      out.v[i] = (float) (mean + (in.v[i] - mean) * keep);
    }
    return out;
  }

  /**
   * Illumination that falls off linearly across the frame along {@code angleRad}: the gain goes
   * from 1 + span/2 on one side to 1 - span/2 on the other (a line light not centred, a tilted bar
   * light).
   */
  static Raster gradient(Raster in, double span, double angleRad) {
    double cx = Math.cos(angleRad);
    double cy = Math.sin(angleRad);
    double reach = Math.abs(cx) * (in.width - 1) / 2.0 + Math.abs(cy) * (in.height - 1) / 2.0;
    Raster out = in.blank();
    for (int y = 0; y < in.height; y++) {
      for (int x = 0; x < in.width; x++) {
        double t =
            ((x - (in.width - 1) / 2.0) * cx + (y - (in.height - 1) / 2.0) * cy)
                / Math.max(1e-9, reach);
        int i = y * in.width + x;
        out.v[i] = (float) (in.v[i] * (1 + span / 2 * t));
      }
    }
    return out;
  }

  /** Lens vignetting: the corners get {@code falloff} less light, quadratic in the radius. */
  static Raster vignette(Raster in, double falloff) {
    double cy = (in.height - 1) / 2.0;
    double cx = (in.width - 1) / 2.0;
    double corner2 = cx * cx + cy * cy;
    Raster out = in.blank();
    for (int y = 0; y < in.height; y++) {
      for (int x = 0; x < in.width; x++) {
        double r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / corner2;
        int i = y * in.width + x;
        out.v[i] = (float) (in.v[i] * (1 - falloff * r2));
      }
    }
    return out;
  }
}
