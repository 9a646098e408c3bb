package io.edgedi.camera.capture;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Size;

/**
 * What the network stream does: a real JPEG (the JDK's encoder) and a real H.264 intra frame
 * (JCodec) round trip, so block artefacts and lost fine texture are those of the codecs IP cameras
 * use, not an imitation.
 */
final class Compression {
  private Compression() {}

  /** JPEG at {@code quality} 1..100 (IJG scale; IP cameras stream MJPEG at roughly 30..80). */
  static Raster jpeg(Raster in, double quality) {
    BufferedImage img = toImage(in);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(buf)) {
      writer.setOutput(out);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality((float) Math.max(0.01, Math.min(1, quality / 100)));
      writer.write(null, new IIOImage(img, null, null), p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    try {
      BufferedImage back = ImageIO.read(new ByteArrayInputStream(buf.toByteArray()));
      byte[] px = ((DataBufferByte) back.getRaster().getDataBuffer()).getData();
      return Raster.of(px, in.height, in.width);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One H.264 IDR frame at quantiser {@code qp} (0..51; camera streams under a bitrate cap run at
   * roughly 28..38). The frame is mirrored out to whole 16x16 macroblocks and cropped back.
   */
  static Raster h264(Raster in, double qp) {
    int q = (int) Math.round(Math.max(0, Math.min(51, qp)));
    int w16 = (in.width + 15) & ~15;
    int h16 = (in.height + 15) & ~15;
    Picture pic = Picture.create(w16, h16, ColorSpace.YUV420J);
    byte[] luma = pic.getPlaneData(0);
    for (int y = 0; y < h16; y++) {
      for (int x = 0; x < w16; x++) {
        // JCodec stores samples as value - 128.
        luma[y * w16 + x] = (byte) (Raster.clip8(in.at(y, x)) - 128);
      }
    }
    // Chroma planes stay 0 = neutral gray.
    H264Encoder encoder = new H264Encoder(new ConstantQp(q));
    ByteBuffer buf = ByteBuffer.allocate(Math.max(1 << 16, encoder.estimateBufferSize(pic)));
    ByteBuffer encoded = encoder.encodeIDRFrame(pic, buf);
    Picture target = Picture.create(w16, h16, ColorSpace.YUV420J);
    Picture decoded = new H264Decoder().decodeFrame(encoded, target.getData());
    byte[] dl = decoded.getPlaneData(0);
    int dw = decoded.getPlaneWidth(0);
    Raster out = in.blank();
    for (int y = 0; y < in.height; y++) {
      for (int x = 0; x < in.width; x++) {
        out.v[y * in.width + x] = dl[y * dw + x] + 128;
      }
    }
    return out;
  }

  /**
   * JCodec's own rate controls aim at a bit budget; a camera test wants one quantiser everywhere.
   */
  private record ConstantQp(int qp) implements RateControl {
    @Override
    public int startPicture(Size size, int maxSize, SliceType sliceType) {
      return qp;
    }

    @Override
    public int initialQpDelta() {
      return 0;
    }

    @Override
    public int accept(int bits) {
      return 0;
    }
  }

  private static BufferedImage toImage(Raster in) {
    BufferedImage img = new BufferedImage(in.width, in.height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    System.arraycopy(in.toBytes(), 0, px, 0, px.length);
    return img;
  }
}
