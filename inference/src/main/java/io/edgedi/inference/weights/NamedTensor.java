package io.edgedi.inference.weights;

import java.util.Arrays;

/** One weight tensor: its name in the weight file, its shape and its values (row-major). */
public record NamedTensor(String name, int[] shape, float[] values) {
  public NamedTensor {
    shape = shape.clone();
    if (elements(shape) != values.length) {
      throw new IllegalArgumentException(
          name
              + ": shape "
              + Arrays.toString(shape)
              + " holds "
              + elements(shape)
              + " values, got "
              + values.length);
    }
  }

  public static long elements(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensor t
        && t.name.equals(name)
        && Arrays.equals(t.shape, shape)
        && Arrays.equals(t.values, values);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
