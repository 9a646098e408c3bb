package io.edgedi.camera.synthetic;

/** Axis-aligned pixel rectangle: {@code [x, x+width) x [y, y+height)}. */
public record Box(int x, int y, int width, int height) {
  public Box {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("box size must be positive: " + width + "x" + height);
    }
  }

  /** Exclusive right edge. */
  public int right() {
    return x + width;
  }

  /** Exclusive bottom edge. */
  public int bottom() {
    return y + height;
  }

  public boolean intersects(Box o) {
    return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
  }

  public boolean containsBox(Box o) {
    return o.x >= x && o.y >= y && o.right() <= right() && o.bottom() <= bottom();
  }

  /** Box grown by {@code m} pixels on every side (not clipped). */
  Box grow(int m) {
    return new Box(x - m, y - m, width + 2 * m, height + 2 * m);
  }
}
