package io.edgedi.planner.web;

import io.edgedi.schemas.Frame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;

/** A frame as the dashboard shows it: its first channel as an 8-bit gray PNG. */
final class FramePng {
  private FramePng() {}

  static byte[] of(Frame f) {
    int w = f.getWidth();
    int h = f.getHeight();
    int ch = Math.max(1, f.getChannels());
    ByteBuffer px = f.getPixels().duplicate();
    byte[] gray = new byte[w * h];
    for (int i = 0; i < gray.length && px.remaining() >= ch; i++) {
      gray[i] = px.get();
      px.position(px.position() + ch - 1);
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setDataElements(0, 0, w, h, gray);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
