package io.edgedi.camera.source;

/**
 * What a {@link FrameSource} yields: an image to publish, or a report of an input it could not turn
 * into one. Errors are items rather than exceptions so a source can go on after a bad file and the
 * consumer decides how to report it; nothing is skipped without a trace.
 */
public sealed interface SourceItem permits SourceImage, SourceError {
  /**
   * Where the item came from: a file path relative to the source's folder, or {@code
   * synthetic:<seed>}.
   */
  String origin();
}
