package io.edgedi.training.data;

import java.util.Objects;

/**
 * One labelled grayscale image, row-major unsigned bytes, with where it came from.
 *
 * @param pixels row-major, {@code height*width} unsigned bytes; not copied, treat as read-only
 * @param label class index (the model's class order, which is {@code DefectClass} order)
 * @param origin file path relative to the data folder, or {@code synthetic:<class>:<seed>}
 */
public record Sample(int height, int width, byte[] pixels, int label, String origin) {
  public Sample {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(origin, "origin");
    if ((long) height * width != pixels.length) {
      throw new IllegalArgumentException(
          origin + ": " + pixels.length + " pixels for " + height + "x" + width);
    }
  }

  /** The model input: pixel / 255, as the deployment runtime sees it. */
  public float[] toInput() {
    return toInput(pixels);
  }

  /** The model input of any 8-bit frame (e.g. a degraded copy of a sample). */
  public static float[] toInput(byte[] pixels) {
    float[] out = new float[pixels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (pixels[i] & 0xff) / 255f;
    }
    return out;
  }
}
