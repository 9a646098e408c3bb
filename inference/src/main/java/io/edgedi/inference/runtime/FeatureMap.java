package io.edgedi.inference.runtime;

import io.edgedi.inference.geometry.RowRange;
import java.util.List;

/**
 * A band of rows of one feature map (NHWC, batch of one): rows {@code [rowStart, rowStart+rows)} of
 * the full map, row-major floats. The array is owned by whoever holds the record; treat it as
 * read-only once handed on.
 */
public record FeatureMap(int rowStart, int rows, int width, int channels, float[] data) {
  public FeatureMap {
    if ((long) rows * width * channels != data.length) {
      throw new IllegalArgumentException(
          "feature map "
              + rows
              + "x"
              + width
              + "x"
              + channels
              + " cannot hold "
              + data.length
              + " values");
    }
  }

  public static FeatureMap whole(int height, int width, int channels, float[] data) {
    return new FeatureMap(0, height, width, channels, data);
  }

  /**
   * The model input for an 8-bit gray image: pixel / 255, one channel. Every path into the model
   * (planner, demo, training's deployment check) must scale the same way.
   */
  public static FeatureMap fromGray(int height, int width, java.nio.ByteBuffer pixels) {
    java.nio.ByteBuffer px = pixels.duplicate();
    float[] out = new float[height * width];
    if (px.remaining() != out.length) {
      throw new IllegalArgumentException(
          height
              + "x"
              + width
              + " gray image needs "
              + out.length
              + " bytes, got "
              + px.remaining());
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = (px.get() & 0xff) / 255f;
    }
    return whole(height, width, 1, out);
  }

  public RowRange range() {
    return new RowRange(rowStart, rowStart + rows);
  }

  public int rowLength() {
    return width * channels;
  }

  /** A copy of some of this band's rows (global row numbers). */
  public FeatureMap slice(RowRange r) {
    if (!range().contains(r)) {
      throw new IllegalArgumentException("rows " + r + " are not inside band " + range());
    }
    float[] out = new float[r.size() * rowLength()];
    System.arraycopy(data, (r.start() - rowStart) * rowLength(), out, 0, out.length);
    return new FeatureMap(r.start(), r.size(), width, channels, out);
  }

  /** Puts adjacent bands back together, top to bottom. */
  public static FeatureMap stitch(List<FeatureMap> bands) {
    FeatureMap first = bands.get(0);
    int rows = 0;
    int next = first.rowStart;
    for (FeatureMap b : bands) {
      if (b.rowStart != next || b.width != first.width || b.channels != first.channels) {
        throw new IllegalArgumentException("bands do not fit together at row " + next);
      }
      next += b.rows;
      rows += b.rows;
    }
    float[] out = new float[rows * first.rowLength()];
    int pos = 0;
    for (FeatureMap b : bands) {
      System.arraycopy(b.data, 0, out, pos, b.data.length);
      pos += b.data.length;
    }
    return new FeatureMap(first.rowStart, rows, first.width, first.channels, out);
  }
}
