package io.edgedi.inference.model;

/** Height, width and channels of one feature map (batch of one, NHWC). */
public record TensorShape(int height, int width, int channels) {
  public long elements() {
    return (long) height * width * channels;
  }
}
