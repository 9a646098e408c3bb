package io.edgedi.camera.stream;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** One open connection to a stream or file, yielding decoded pictures until it ends or fails. */
public interface VideoFeed extends AutoCloseable {

  /** A decoded picture and the capture time the stream gave it. */
  record Picture(BufferedImage image, long capturedAtMicros) {}

  /** Opens (or reopens) one feed. */
  @FunctionalInterface
  interface Opener {
    VideoFeed open() throws IOException;
  }

  /**
   * The next picture, blocking while the stream has none yet.
   *
   * @return null at the end of the stream (a file's end, or a server that closed it)
   * @throws IOException when the stream fails (the reader reconnects)
   */
  Picture next() throws IOException;

  /** Releases the connection; never throws. */
  @Override
  void close();
}
