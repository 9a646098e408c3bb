package io.edgedi.inference.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What one node of a model computes, described as data: the planner reads kernel, stride and
 * padding to derive halos and FLOPs without running anything.
 *
 * <p>Row geometry is the same for every op: output row {@code r} reads input rows {@code [r*stride
 * - pad, r*stride - pad + kernel)}. Ops without a window use kernel 1, stride 1, pad 0, so they are
 * row-local.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Op.Input.class, name = "input"),
  @JsonSubTypes.Type(value = Op.Conv.class, name = "conv"),
  @JsonSubTypes.Type(value = Op.MaxPool.class, name = "maxpool"),
  @JsonSubTypes.Type(value = Op.ChannelAttention.class, name = "attention"),
  @JsonSubTypes.Type(value = Op.Add.class, name = "add")
})
public sealed interface Op {

  int kernel();

  int stride();

  int pad();

  /** Output channels given the channels of the first input. */
  int outChannels(int inChannels);

  /** True for ops that need the whole feature map (a sync point for partitioned execution). */
  default boolean needsWholeMap() {
    return false;
  }

  default int outSize(int inSize) {
    return Math.floorDiv(inSize + 2 * pad() - kernel(), stride()) + 1;
  }

  /** The model's input image. Always node 0. */
  record Input(int channels) implements Op {
    public int kernel() {
      return 1;
    }

    public int stride() {
      return 1;
    }

    public int pad() {
      return 0;
    }

    public int outChannels(int inChannels) {
      return channels;
    }
  }

  /**
   * Square convolution with zero padding at the true image border. {@code batchNorm} means the
   * weights carry BatchNorm statistics, folded into kernel and bias at load; {@code relu} applies
   * after the (folded) BatchNorm.
   */
  record Conv(
      int kernel,
      int stride,
      int pad,
      int inChannels,
      int outChannels,
      boolean batchNorm,
      boolean relu)
      implements Op {
    public Conv {
      if (kernel < 1
          || stride < 1
          || pad < 0
          || pad >= kernel
          || inChannels < 1
          || outChannels < 1) {
        throw new IllegalArgumentException(
            "bad conv: k="
                + kernel
                + " s="
                + stride
                + " p="
                + pad
                + " "
                + inChannels
                + "->"
                + outChannels);
      }
    }

    public int outChannels(int inChannels) {
      return outChannels;
    }
  }

  /** Max pooling; the border is padded with -infinity so padding never wins. */
  record MaxPool(int kernel, int stride, int pad) implements Op {
    public int outChannels(int inChannels) {
      return inChannels;
    }
  }

  /**
   * Squeeze-style channel attention: {@code x * sigmoid(W . mean_hw(s) + b)} where {@code x} is the
   * node's first input and {@code s}, the <em>gate source</em>, its second input if it has one,
   * else {@code x} itself (SCAR). {@code W} is {@code [channels of s, channels]}. The mean covers
   * the whole map, so partitioned execution computes it by a reduce step across bands; rows of the
   * output need only the same rows of {@code x}, never rows of a separate source.
   */
  record ChannelAttention(int channels) implements Op {
    public int kernel() {
      return 1;
    }

    public int stride() {
      return 1;
    }

    public int pad() {
      return 0;
    }

    public int outChannels(int inChannels) {
      return channels;
    }

    @Override
    public boolean needsWholeMap() {
      return true;
    }
  }

  /** Element-wise sum of two inputs (a residual join), optionally followed by ReLU. */
  record Add(boolean relu) implements Op {
    public int kernel() {
      return 1;
    }

    public int stride() {
      return 1;
    }

    public int pad() {
      return 0;
    }

    public int outChannels(int inChannels) {
      return inChannels;
    }
  }
}
