package io.edgedi.worker;

import io.edgedi.schemas.codec.RejectReason;

/** A message the worker will not act on; {@code reason} is the error topic's reason code. */
public final class RejectedInput extends Exception {
  private final RejectReason reason;
  private final String payloadId;

  public RejectedInput(RejectReason reason, String payloadId, String message) {
    super(message);
    this.reason = reason;
    this.payloadId = payloadId;
  }

  public RejectReason reason() {
    return reason;
  }

  public String payloadId() {
    return payloadId;
  }
}
