package io.edgedi.inference.trust;

/**
 * What an 8-bit frame looks like before the model sees it: spread, clipped pixels, sharpness. Cheap
 * enough to run on every frame at the planner (one pass, no TensorFlow).
 *
 * @param std standard deviation of the pixel values (0..255 scale)
 * @param clippedFraction share of pixels at 0 or 255
 * @param sharpness mean squared 4-neighbour Laplacian over the pixel variance: high-frequency
 *     energy relative to contrast, so it falls with defocus but not with exposure or gain
 */
public record InputStats(double std, double clippedFraction, double sharpness) {
  public static InputStats of(byte[] pixels, int height, int width) {
    if (pixels.length != height * width) {
      throw new IllegalArgumentException(pixels.length + " pixels for " + height + "x" + width);
    }
    double sum = 0;
    double sumSq = 0;
    int clipped = 0;
    for (byte b : pixels) {
      int v = b & 0xff;
      sum += v;
      sumSq += (double) v * v;
      if (v == 0 || v == 255) {
        clipped++;
      }
    }
    int n = pixels.length;
    double mean = sum / n;
    double var = Math.max(0, sumSq / n - mean * mean);
    double lap = 0;
    int inner = 0;
    for (int y = 1; y < height - 1; y++) {
      for (int x = 1; x < width - 1; x++) {
        int i = y * width + x;
        int l =
            4 * (pixels[i] & 0xff)
                - (pixels[i - 1] & 0xff)
                - (pixels[i + 1] & 0xff)
                - (pixels[i - width] & 0xff)
                - (pixels[i + width] & 0xff);
        lap += (double) l * l;
        inner++;
      }
    }
    double sharpness = inner == 0 || var < 1e-9 ? 0 : lap / inner / var;
    return new InputStats(Math.sqrt(var), (double) clipped / n, sharpness);
  }
}
