package io.edgedi.inference.weights;

/** A weight file that cannot be used: wrong kind of file, damaged, or for another model. */
public final class WeightFileException extends RuntimeException {
  public WeightFileException(String message) {
    super(message);
  }

  public WeightFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
