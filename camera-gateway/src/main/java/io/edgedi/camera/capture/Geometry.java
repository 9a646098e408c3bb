package io.edgedi.camera.capture;

/** Where the strip is: small shifts and rotations of the surface under the camera. */
final class Geometry {
  private Geometry() {}

  /**
   * Moved {@code distance} pixels along {@code angleRad}; the exposed edge shows mirrored surface.
   */
  static Raster shift(Raster in, double distance, double angleRad) {
    double dx = distance * Math.cos(angleRad);
    double dy = distance * Math.sin(angleRad);
    Raster out = in.blank();
    for (int y = 0; y < in.height; y++) {
      for (int x = 0; x < in.width; x++) {
        out.v[y * in.width + x] = in.sample(y - dy, x - dx);
      }
    }
    return out;
  }

  /** Turned {@code degrees} about the centre (bilinear, mirrored borders). */
  static Raster rotate(Raster in, double degrees) {
    double a = Math.toRadians(degrees);
    double c = Math.cos(a);
    double s = Math.sin(a);
    double cy = (in.height - 1) / 2.0;
    double cx = (in.width - 1) / 2.0;
    Raster out = in.blank();
    for (int y = 0; y < in.height; y++) {
      for (int x = 0; x < in.width; x++) {
        double ox = x - cx;
        double oy = y - cy;
        out.v[y * in.width + x] = in.sample(cy - s * ox + c * oy, cx + c * ox + s * oy);
      }
    }
    return out;
  }
}
