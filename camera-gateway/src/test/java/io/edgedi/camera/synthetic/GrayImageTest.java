package io.edgedi.camera.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrayImageTest {
  @Test
  void floatsAreUnsignedPixelValues() {
    GrayImage img = new GrayImage(2, 2, new byte[] {0, 1, (byte) 128, (byte) 255});
    assertArrayEquals(new float[] {0, 1, 128, 255}, img.toFloatArray());
    assertEquals(255, img.get(1, 1));
    assertEquals(96.0, img.mean());
  }

  @Test
  void pixelsAreCopiedInAndOut() {
    byte[] data = {10, 20, 30};
    GrayImage img = new GrayImage(3, 1, data);
    data[0] = 99;
    img.pixels()[1] = 99;
    assertArrayEquals(new byte[] {10, 20, 30}, img.pixels());
  }

  @Test
  void rejectsWrongSizes() {
    assertThrows(IllegalArgumentException.class, () -> new GrayImage(2, 2, new byte[3]));
    assertThrows(IllegalArgumentException.class, () -> new GrayImage(0, 2, new byte[0]));
  }

  @Test
  void cropCopiesTheRectangle() {
    byte[] data = new byte[12];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    GrayImage img = new GrayImage(4, 3, data);
    assertArrayEquals(new byte[] {5, 6, 9, 10}, img.crop(1, 1, 2, 2).pixels());
    assertEquals(img.crop(new Box(1, 1, 2, 2)), img.crop(1, 1, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> img.crop(3, 0, 2, 1));
  }

  @Test
  void pngRoundTripIsLossless(@TempDir Path dir) throws IOException {
    GrayImage img = new SyntheticDefectGenerator().generate(DefectClass.PATCHES, 3, 64, 48);
    Path file = dir.resolve("sub/img.png");
    img.writePng(file);
    assertEquals(img, GrayImage.read(file));
  }
}
