package io.edgedi.worker;

/** A message the worker will not act on; {@code reason} is the error topic's reason code. */
public final class RejectedInput extends Exception {
  private final String reason;
  private final String payloadId;

  public RejectedInput(String reason, String payloadId, String message) {
    super(message);
    this.reason = reason;
    this.payloadId = payloadId;
  }

  public String reason() { return reason; }

  public String payloadId() { return payloadId; }
}
