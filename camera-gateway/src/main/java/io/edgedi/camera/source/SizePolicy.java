package io.edgedi.camera.source;

/** What to do with an image whose size differs from the one the consumer needs. */
public enum SizePolicy {
  /** Resample it to the required size (area averaging when shrinking, bilinear when enlarging). */
  RESIZE,
  /** Refuse it with {@link SourceError#WRONG_SIZE}. */
  REJECT
}
