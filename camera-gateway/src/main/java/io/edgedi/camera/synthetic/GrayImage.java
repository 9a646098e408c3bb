package io.edgedi.camera.synthetic;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Immutable 8-bit grayscale image, row-major, one unsigned byte per pixel.
 *
 * <p>Pixels are copied on the way in and out so an image handed to another thread (or put on a
 * queue for publishing) can never change under it.
 */
public final class GrayImage {
  private final int width;
  private final int height;
  private final byte[] pixels;

  public GrayImage(int width, int height, byte[] pixels) {
    this(width, height, Objects.requireNonNull(pixels, "pixels"), true);
  }

  /** Takes ownership of {@code pixels} without copying; only for code that just built the array. */
  static GrayImage wrap(int width, int height, byte[] pixels) {
    return new GrayImage(width, height, pixels, false);
  }

  private GrayImage(int width, int height, byte[] pixels, boolean copy) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (pixels.length != (long) width * height) {
      throw new IllegalArgumentException(
          "pixel array has " + pixels.length + " bytes, expected " + width + "*" + height);
    }
    this.width = width;
    this.height = height;
    this.pixels = copy ? pixels.clone() : pixels;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** A copy of the row-major pixel bytes (interpret as unsigned). */
  public byte[] pixels() {
    return pixels.clone();
  }

  /** Pixel value 0..255. */
  public int get(int x, int y) {
    if (x < 0 || y < 0 || x >= width || y >= height) {
      throw new IndexOutOfBoundsException("(" + x + "," + y + ") outside " + width + "x" + height);
    }
    return pixels[y * width + x] & 0xFF;
  }

  /** Row-major floats in 0..255 (not normalised: scaling is the model's business). */
  public float[] toFloatArray() {
    float[] out = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = pixels[i] & 0xFF;
    }
    return out;
  }

  /** Mean pixel value; handy for sanity checks and logging. */
  public double mean() {
    long sum = 0;
    for (byte b : pixels) {
      sum += b & 0xFF;
    }
    return sum / (double) pixels.length;
  }

  /** Sub-image; the rectangle must lie inside this image. */
  public GrayImage crop(int x, int y, int w, int h) {
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
      throw new IllegalArgumentException(
          "crop " + w + "x" + h + "+" + x + "+" + y + " outside " + width + "x" + height);
    }
    byte[] out = new byte[w * h];
    for (int row = 0; row < h; row++) {
      System.arraycopy(pixels, (y + row) * width + x, out, row * w, w);
    }
    return wrap(w, h, out);
  }

  public GrayImage crop(Box box) {
    return crop(box.x(), box.y(), box.width(), box.height());
  }

  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    System.arraycopy(pixels, 0, dst, 0, pixels.length);
    return img;
  }

  /** Converts any image to gray; colour images are reduced by the AWT colour conversion. */
  public static GrayImage fromBufferedImage(BufferedImage img) {
    BufferedImage gray = img;
    if (img.getType() != BufferedImage.TYPE_BYTE_GRAY) {
      gray = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
      gray.getGraphics().drawImage(img, 0, 0, null);
    }
    int w = gray.getWidth();
    int h = gray.getHeight();
    byte[] out = new byte[w * h];
    // getSamples goes through the raster, so sub-images and odd strides are handled for us.
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      gray.getRaster().getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (byte) row[x];
      }
    }
    return wrap(w, h, out);
  }

  /** Reads any format ImageIO understands (PNG, BMP, ...). */
  public static GrayImage read(Path file) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException("not a readable image: " + file);
    }
    return fromBufferedImage(img);
  }

  /** Writes a PNG, creating parent directories; meant for debugging and demo output. */
  public void writePng(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(toBufferedImage(), "png", file.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GrayImage g
        && g.width == width
        && g.height == height
        && Arrays.equals(g.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "GrayImage[" + width + "x" + height + "]";
  }
}
