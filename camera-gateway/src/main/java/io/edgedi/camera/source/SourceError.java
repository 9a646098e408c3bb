package io.edgedi.camera.source;

import io.edgedi.schemas.codec.RejectReason;
import java.util.Objects;

/**
 * An input a source could not turn into an image. The source has already dealt with the input
 * itself (e.g. moved the file to {@code failed/}); the consumer reports it.
 *
 * @param origin the file (relative to the source folder) or other input concerned
 * @param reason UNREADABLE, WRONG_SIZE, TOO_LARGE or SOURCE_UNAVAILABLE
 * @param message human-readable detail
 * @param bytes size of the offending input in bytes, 0 if unknown
 */
public record SourceError(String origin, RejectReason reason, String message, long bytes)
    implements SourceItem {
  public SourceError {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
