package io.edgedi.inference.window;

/** One window of a frame: its place in the frame and its index in row-major order. */
public record Window(int index, int x, int y, int width, int height) {
  /** The window's pixels, cut out of a row-major frame of {@code channels} interleaved samples. */
  public byte[] crop(byte[] frame, int frameWidth, int channels) {
    byte[] out = new byte[width * height * channels];
    int row = width * channels;
    for (int r = 0; r < height; r++) {
      System.arraycopy(frame, ((y + r) * frameWidth + x) * channels, out, r * row, row);
    }
    return out;
  }
}
