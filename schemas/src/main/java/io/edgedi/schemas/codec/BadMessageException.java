package io.edgedi.schemas.codec;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A payload that {@link MessageCodec#decode(byte[])} refused. Checked on purpose: every consumer of
 * an MQTT topic must decide what to do with a bad payload (usually: publish an {@link
 * io.edgedi.schemas.Error} dead letter with {@link #reason()} as its reason code), and the compiler
 * makes sure nobody forgets. The codec uses MALFORMED, UNKNOWN_SCHEMA, UNSUPPORTED_VERSION and
 * OVERSIZED.
 */
public class BadMessageException extends Exception {

  private static final long serialVersionUID = 1L;

  private final RejectReason reason;

  public BadMessageException(RejectReason reason, String message) {
    this(reason, message, null);
  }

  public BadMessageException(RejectReason reason, String message, @Nullable Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public RejectReason reason() {
    return reason;
  }
}
