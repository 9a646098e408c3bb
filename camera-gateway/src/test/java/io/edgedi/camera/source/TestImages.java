package io.edgedi.camera.source;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes generated images to disk for source tests; never uses the real data set. */
public final class TestImages {
  private static final SyntheticDefectGenerator GEN = new SyntheticDefectGenerator();

  private TestImages() {}

  public static GrayImage synthetic(DefectClass kind, long seed, int w, int h) {
    return GEN.generate(kind, seed, w, h);
  }

  /** Writes {@code img} as 8-bit gray in the format given by the file's extension. */
  public static Path writeGray(Path file, GrayImage img) throws IOException {
    return write(file, img.toBufferedImage());
  }

  public static Path write(Path file, BufferedImage img) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    String name = file.getFileName().toString();
    String format = name.substring(name.lastIndexOf('.') + 1);
    if (!ImageIO.write(img, format, file.toFile())) {
      throw new IOException("no ImageIO writer for " + format + " and image type " + img.getType());
    }
    return file;
  }

  /** An RGB image whose every pixel has the given colour. */
  public static BufferedImage solidRgb(int w, int h, int rgb) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }
}
