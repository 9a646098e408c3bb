package io.edgedi.schemas.codec;

/**
 * Why a component refused an input: the {@code reason} of the {@link io.edgedi.schemas.Error} dead
 * letters on {@code edgedi/v1/{site}/errors/...}. MES and dashboard consumers match on these names,
 * so a constant's name is its wire string and must never change; add new ones instead.
 */
public enum RejectReason {
  // The codec's: the payload is not a usable message of the expected kind.
  /** Not a well-formed message of the expected schema: bad header, truncated, trailing bytes. */
  MALFORMED,
  /** Well-formed header but a schema fingerprint this codec does not read (e.g. another kind). */
  UNKNOWN_SCHEMA,
  /** The right schema, but a schemaVersion field value this codec does not support. */
  UNSUPPORTED_VERSION,
  /** Larger than the message type's payload limit; refused before any decoding. */
  OVERSIZED,

  // A decodable message whose content does not fit.
  /** Image, rows or sums of other dimensions than the model or the plan needs. */
  WRONG_SIZE,
  /** A feature value or sum that is NaN or infinite. */
  NOT_FINITE,
  /** A frame id the planner has seen before. */
  DUPLICATE_FRAME,
  /** Telemetry whose worker id is not the one its topic names. */
  SPOOFED_ID,
  /** A band result or peer message for a frame not in progress (late, or never started). */
  UNKNOWN_FRAME,
  /** A band result of a superseded attempt of a frame. */
  STALE_PARTIAL,
  /** A frame the planner gave up on after its attempts. */
  FRAME_FAILED,
  /** A task addressed to another worker. */
  WRONG_WORKER,
  /** A task for a model or weights version the worker does not hold. */
  WRONG_MODEL,
  /** A task whose attempt is running or done already. */
  DUPLICATE_TASK,
  /** A task with an impossible plan, or one that gives the worker nothing to do. */
  BAD_TASK,
  /** A peer message the frame's plan does not provide for. */
  NOT_IN_PLAN,
  /** A peer message of a stage and sender that arrived before. */
  DUPLICATE_PEER,
  /** A stage of a task that failed on the worker. */
  TASK_FAILED,

  // The camera gateway's: inputs it could not make a frame of, or not publish.
  /** Could not be decoded as an image (corrupt, truncated, unsupported variant). */
  UNREADABLE,
  /** Over the source's limit (encoded bytes or decoded pixels). */
  TOO_LARGE,
  /** The source (folder, stream, snapshot URL) could not be read. */
  SOURCE_UNAVAILABLE,
  /** A frame the gateway could not publish (too large for the wire, or the publish failed). */
  UNPUBLISHABLE
}
