package io.edgedi.camera.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.schemas.codec.RejectReason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ImageLoader#load(byte[], String, String, long)}: images that arrive as bytes, e.g. over
 * MQTT.
 */
class ImageBytesTest {

  private static final long MAX_PIXELS = 1_000_000;
  private final ImageLoader loader = ImageLoader.neu(SizePolicy.RESIZE);

  @ParameterizedTest
  @ValueSource(strings = {"png", "bmp"})
  void losslessFormatsDecodeToTheSamePixels(String format) throws IOException {
    GrayImage image = TestImages.synthetic(DefectClass.SCRATCHES, 5, 200, 200);
    SourceItem item = loader.load(encode(gray(image), format), "t#1", null, MAX_PIXELS);
    SourceImage decoded = assertInstanceOf(SourceImage.class, item);
    assertArrayEquals(image.pixels(), decoded.image().pixels());
    assertEquals("t#1", decoded.origin());
  }

  @Test
  void jpegDecodesCloseToTheOriginal() throws IOException {
    GrayImage image = TestImages.synthetic(DefectClass.PATCHES, 6, 200, 200);
    SourceImage decoded =
        assertInstanceOf(
            SourceImage.class, loader.load(encode(gray(image), "jpeg"), "t#2", null, MAX_PIXELS));
    double meanAbsDiff = 0;
    for (int i = 0; i < image.pixels().length; i++) {
      meanAbsDiff += Math.abs((image.pixels()[i] & 0xff) - (decoded.image().pixels()[i] & 0xff));
    }
    meanAbsDiff /= image.pixels().length;
    assertTrue(
        meanAbsDiff < 8, "JPEG round trip differs by " + meanAbsDiff + " grey levels on average");
  }

  @Test
  void otherSizesAreResizedToTheModelInput() throws IOException {
    BufferedImage colour = TestImages.solidRgb(640, 480, 0x808080);
    SourceImage decoded =
        assertInstanceOf(
            SourceImage.class, loader.load(encode(colour, "png"), "t#3", null, MAX_PIXELS));
    assertEquals(200, decoded.image().width());
    assertEquals(200, decoded.image().height());
  }

  @Test
  void bytesThatAreNoImageAreUnreadable() {
    byte[] text = "not an image at all".getBytes();
    SourceError error =
        assertInstanceOf(SourceError.class, loader.load(text, "t#4", null, MAX_PIXELS));
    assertEquals(RejectReason.UNREADABLE, error.reason());
    assertEquals(text.length, error.bytes());
  }

  @Test
  void truncatedPngIsUnreadable() throws IOException {
    byte[] png = encode(gray(TestImages.synthetic(DefectClass.CRAZING, 7, 200, 200)), "png");
    SourceError error =
        assertInstanceOf(
            SourceError.class,
            loader.load(Arrays.copyOf(png, png.length / 2), "t#5", null, MAX_PIXELS));
    assertEquals(RejectReason.UNREADABLE, error.reason());
  }

  @Test
  void tooManyPixelsAreRefusedFromTheHeader() throws IOException {
    // 2000x1000 of one colour compresses to a few KB: the byte limit alone would let it through
    byte[] png = encode(TestImages.solidRgb(2000, 1000, 0), "png");
    assertTrue(png.length < 100_000, "test image is " + png.length + " bytes");
    SourceError error =
        assertInstanceOf(SourceError.class, loader.load(png, "t#6", null, MAX_PIXELS));
    assertEquals(RejectReason.TOO_LARGE, error.reason());
    assertTrue(error.message().contains("2000x1000"), error.message());
  }

  private static BufferedImage gray(GrayImage image) {
    return image.toBufferedImage();
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "no ImageIO writer for " + format);
    return out.toByteArray();
  }
}
