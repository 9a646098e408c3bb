package io.edgedi.camera.source;

import io.edgedi.camera.synthetic.GrayImage;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Reduces any decoded image to 8-bit gray.
 *
 * <p>Single-channel images keep their stored sample values (rescaled to 8 bits if deeper), so a
 * gray PNG or BMP reads back exactly as written. Everything else (RGB, palette, CMY...) goes
 * through its sRGB value and ITU-R BT.601 luma, {@code Y = 0.299 R + 0.587 G + 0.114 B}, in integer
 * arithmetic so a gray palette entry (v, v, v) maps to exactly v. BT.601 is also what common Python
 * imaging libraries use for "convert to L", so a model trained there sees the same values. Alpha is
 * ignored.
 */
public final class Luma {
  private Luma() {}

  public static GrayImage toGray(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] out = new byte[w * h];
    Raster raster = img.getRaster();
    if (raster.getNumBands() == 1 && !(img.getColorModel() instanceof IndexColorModel)) {
      int bits = img.getColorModel().getComponentSize(0);
      long max = (1L << bits) - 1;
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          int v = bits == 8 ? row[x] : (int) ((row[x] * 255L + max / 2) / max);
          out[y * w + x] = (byte) v;
        }
      }
    } else {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        img.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = (byte) luma(row[x]);
        }
      }
    }
    return new GrayImage(w, h, out);
  }

  /** BT.601 luma 0..255 of a packed (A)RGB value. */
  public static int luma(int rgb) {
    int r = (rgb >> 16) & 0xFF;
    int g = (rgb >> 8) & 0xFF;
    int b = rgb & 0xFF;
    return (299 * r + 587 * g + 114 * b + 500) / 1000;
  }
}
