package io.edgedi.camera.source;

import java.util.Objects;

/**
 * An input a source could not turn into an image. The source has already dealt with the input
 * itself (e.g. moved the file to {@code failed/}); the consumer reports it.
 *
 * @param origin the file (relative to the source folder) or other input concerned
 * @param reason a stable upper-case code, one of the constants below
 * @param message human-readable detail
 * @param bytes size of the offending input in bytes, 0 if unknown
 */
public record SourceError(String origin, String reason, String message, long bytes) implements SourceItem {
    /** The file could not be decoded as an image (corrupt, truncated, unsupported variant). */
    public static final String UNREADABLE = "UNREADABLE";
    /** The image is not the required size and the size policy is {@link SizePolicy#REJECT}. */
    public static final String WRONG_SIZE = "WRONG_SIZE";
    /** The input is over the source's size limit (encoded bytes or decoded pixels). */
    public static final String TOO_LARGE = "TOO_LARGE";
    /** The source's folder could not be listed. */
    public static final String SOURCE_UNAVAILABLE = "SOURCE_UNAVAILABLE";

    public SourceError {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
