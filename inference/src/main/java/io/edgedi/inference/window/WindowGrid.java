package io.edgedi.inference.window;

import java.util.ArrayList;
import java.util.List;

/**
 * How a frame larger than the model input is cut into windows of the input's size: every {@code
 * stride} pixels across and down, plus one window flush with the right and bottom edges when the
 * stride does not end there, so every pixel is in some window and no window reaches past the frame.
 */
public record WindowGrid(int width, int height, int strideX, int strideY) {
  public WindowGrid {
    if (width <= 0 || height <= 0 || strideX <= 0 || strideY <= 0) {
      throw new IllegalArgumentException(
          "window "
              + width
              + "x"
              + height
              + " stride "
              + strideX
              + "x"
              + strideY
              + ": all must be positive");
    }
  }

  /** Windows of {@code width x height} with a stride of one window: side by side, no overlap. */
  public static WindowGrid adjacent(int width, int height) {
    return new WindowGrid(width, height, width, height);
  }

  /**
   * True when a frame of this size is cut into windows (larger than one window, at least as large
   * both ways).
   */
  public boolean cuts(int frameWidth, int frameHeight) {
    return frameWidth >= width
        && frameHeight >= height
        && (frameWidth > width || frameHeight > height);
  }

  public List<Window> windows(int frameWidth, int frameHeight) {
    if (frameWidth < width || frameHeight < height) {
      throw new IllegalArgumentException(
          "frame "
              + frameWidth
              + "x"
              + frameHeight
              + " is smaller than a "
              + width
              + "x"
              + height
              + " window");
    }
    List<Window> out = new ArrayList<>();
    for (int y : starts(frameHeight, height, strideY)) {
      for (int x : starts(frameWidth, width, strideX)) {
        out.add(new Window(out.size(), x, y, width, height));
      }
    }
    return out;
  }

  private static List<Integer> starts(int total, int size, int stride) {
    List<Integer> s = new ArrayList<>();
    int p = 0;
    for (; p + size <= total; p += stride) {
      s.add(p);
    }
    if (s.get(s.size() - 1) + size < total) {
      s.add(total - size);
    }
    return s;
  }
}
