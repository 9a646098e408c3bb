package io.edgedi.planner.aggregate;

/**
 * A frame that could not be finished with its plan (a worker went silent, or answered nonsense).
 */
public final class FrameFailedException extends Exception {
  public FrameFailedException(String message) {
    super(message);
  }
}
