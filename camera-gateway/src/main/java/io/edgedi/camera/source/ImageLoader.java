package io.edgedi.camera.source;

import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.schemas.codec.RejectReason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads one image file into a gray image of the required size, or says why it cannot.
 *
 * <p>Any format the JDK's ImageIO reads works (BMP including 8-bit palette/gray, PNG, JPEG, GIF,
 * TIFF). Colour is reduced by {@link Luma}; a size mismatch is handled by the {@link SizePolicy}.
 * Thread-safe.
 */
public final class ImageLoader {
  /** Side of a NEU-CLS image, the input size of every model in the zoo. */
  public static final int NEU_SIZE = 200;

  private final int width;
  private final int height;
  private final SizePolicy policy;

  public ImageLoader(int width, int height, SizePolicy policy) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** {@value #NEU_SIZE}x{@value #NEU_SIZE} images. */
  public static ImageLoader neu(SizePolicy policy) {
    return new ImageLoader(NEU_SIZE, NEU_SIZE, policy);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public SizePolicy policy() {
    return policy;
  }

  /**
   * @param origin what to call the file in the result (e.g. its path relative to a source folder)
   * @param label the class folder name to attach, or null
   * @return a {@link SourceImage} or a {@link SourceError} ({@link SourceError#UNREADABLE} or
   *     {@link SourceError#WRONG_SIZE}); never throws for bad file content
   */
  public SourceItem load(Path file, String origin, String label) {
    long bytes = sizeOf(file);
    BufferedImage decoded;
    try {
      decoded = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      // ImageIO plug-ins report some corrupt files with runtime exceptions (index out of
      // bounds...).
      return new SourceError(
          origin, RejectReason.UNREADABLE, "cannot decode " + origin + ": " + e, bytes);
    }
    return fit(decoded, origin, label, bytes);
  }

  /**
   * Like {@link #load(Path, String, String)} for an image held in memory (e.g. an MQTT payload).
   * The dimensions are read from the header first and an image of more than {@code maxPixels} is
   * refused before any pixel is decoded, so a small compressed payload cannot make the gateway
   * allocate gigabytes.
   *
   * @return a {@link SourceImage} or a {@link SourceError} ({@link SourceError#UNREADABLE}, {@link
   *     SourceError#TOO_LARGE} or {@link SourceError#WRONG_SIZE}); never throws for bad bytes
   */
  public SourceItem load(byte[] encoded, String origin, String label, long maxPixels) {
    long bytes = encoded.length;
    BufferedImage decoded;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return new SourceError(
            origin,
            RejectReason.UNREADABLE,
            "no image reader recognises " + origin + " (" + bytes + " bytes)",
            bytes);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > maxPixels) {
          return new SourceError(
              origin,
              RejectReason.TOO_LARGE,
              origin
                  + " is "
                  + reader.getWidth(0)
                  + "x"
                  + reader.getHeight(0)
                  + " pixels, more than "
                  + maxPixels,
              bytes);
        }
        decoded = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return new SourceError(
          origin, RejectReason.UNREADABLE, "cannot decode " + origin + ": " + e, bytes);
    }
    return fit(decoded, origin, label, bytes);
  }

  private SourceItem fit(BufferedImage decoded, String origin, String label, long bytes) {
    if (decoded == null) {
      return new SourceError(
          origin,
          RejectReason.UNREADABLE,
          "no image reader recognises " + origin + " (" + bytes + " bytes)",
          bytes);
    }
    GrayImage gray = Luma.toGray(decoded);
    if (gray.width() != width || gray.height() != height) {
      if (policy == SizePolicy.REJECT) {
        return new SourceError(
            origin,
            RejectReason.WRONG_SIZE,
            origin
                + " is "
                + gray.width()
                + "x"
                + gray.height()
                + ", required "
                + width
                + "x"
                + height,
            bytes);
      }
      gray = Resampler.resize(gray, width, height);
    }
    return new SourceImage(gray, label, origin);
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
