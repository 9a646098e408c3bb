package io.edgedi.inference.geometry;

import org.jspecify.annotations.Nullable;

/** A half-open range of rows {@code [start, end)} of one feature map, in global row numbers. */
public record RowRange(int start, int end) {
  public RowRange {
    if (end < start) {
      throw new IllegalArgumentException("empty-reversed row range [" + start + ", " + end + ")");
    }
  }

  public int size() {
    return end - start;
  }

  public boolean isEmpty() {
    return end == start;
  }

  /** The smallest range holding both (rows in between included). */
  public RowRange span(@Nullable RowRange other) {
    if (other == null) {
      return this;
    }
    return new RowRange(Math.min(start, other.start), Math.max(end, other.end));
  }

  public RowRange clip(int height) {
    int s = Math.max(0, Math.min(start, height));
    return new RowRange(s, Math.max(s, Math.min(end, height)));
  }

  public boolean contains(RowRange inner) {
    return inner.start >= start && inner.end <= end;
  }

  @Override
  public String toString() {
    return "[" + start + "," + end + ")";
  }
}
