package io.edgedi.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** float32 little-endian payloads (PeerRows.data) to and from float arrays. */
public final class FloatBytes {
  private FloatBytes() {}

  public static ByteBuffer encode(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b;
  }

  /**
   * Reads exactly {@code count} floats, refusing a wrong length or any NaN or infinity (a corrupt
   * or hostile payload must not travel on into the model).
   */
  public static float[] decode(ByteBuffer data, int count) {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() != (long) count * 4) {
      throw new IllegalArgumentException(
          "expected "
              + count
              + " float32 values ("
              + (count * 4L)
              + " bytes), got "
              + b.remaining()
              + " bytes");
    }
    float[] out = new float[count];
    b.asFloatBuffer().get(out);
    for (int i = 0; i < out.length; i++) {
      if (!Float.isFinite(out[i])) {
        throw new NonFiniteException("value " + i + " is " + out[i]);
      }
    }
    return out;
  }

  /** A payload holding NaN or infinity. */
  public static final class NonFiniteException extends IllegalArgumentException {
    public NonFiniteException(String message) {
      super(message);
    }
  }
}
