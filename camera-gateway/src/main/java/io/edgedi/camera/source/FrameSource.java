package io.edgedi.camera.source;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where camera frames come from: a synthetic generator, a folder of images, a watched drop folder.
 *
 * <p>One consumer thread calls {@link #next()}; {@link #close()} may be called from any thread and
 * makes a blocked {@code next()} return empty promptly.
 */
public interface FrameSource extends AutoCloseable {
  /**
   * The next image or error report, blocking while a live source has nothing yet.
   *
   * @return empty when the source is exhausted or closed
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  Optional<SourceItem> next() throws InterruptedException;

  /**
   * Tells the source the consumer is finished with an image it yielded: {@code published} true when
   * it was delivered, false when it was given up as undeliverable (and reported). Sources backed by
   * files that must not be processed twice (the drop folder) move the file only now, so a crash
   * between {@link #next()} and delivery loses nothing. An image never passed here is yielded again
   * by such a source after a restart. The default does nothing.
   */
  default void done(SourceImage image, boolean published) {}

  /** Convenience for consumers that only want images: errors go to {@code onError}. */
  default Optional<SourceImage> nextImage(Consumer<SourceError> onError)
      throws InterruptedException {
    while (true) {
      Optional<SourceItem> item = next();
      if (item.isEmpty()) {
        return Optional.empty();
      }
      if (item.get() instanceof SourceImage image) {
        return Optional.of(image);
      }
      onError.accept((SourceError) item.get());
    }
  }

  /** Releases the source; idempotent and never throws. */
  @Override
  void close();
}
