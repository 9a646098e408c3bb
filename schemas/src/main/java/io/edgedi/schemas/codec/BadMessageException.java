package io.edgedi.schemas.codec;

import java.util.Objects;

/**
 * A payload that {@link MessageCodec#decode(byte[])} refused. Checked on purpose: every consumer
 * of an MQTT topic must decide what to do with a bad payload (usually: publish an
 * {@link io.edgedi.schemas.Error} dead letter with {@link #reason()} as its reason code), and the
 * compiler makes sure nobody forgets.
 */
public class BadMessageException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a payload was refused. The names double as the reason codes of Error messages. */
  public enum Reason {
    /** Not a well-formed message of the expected schema: bad header, truncated, trailing bytes. */
    MALFORMED,
    /** Well-formed header but a schema fingerprint this codec does not read (e.g. another kind). */
    UNKNOWN_SCHEMA,
    /** The right schema, but a schemaVersion field value this codec does not support. */
    UNSUPPORTED_VERSION,
    /** Larger than the codec's payload limit; refused before any decoding. */
    OVERSIZED
  }

  private final Reason reason;

  public BadMessageException(Reason reason, String message) {
    this(reason, message, null);
  }

  public BadMessageException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
