package io.edgedi.camera;

import io.edgedi.transport.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Frame ids of one camera: {@code {camera}-{start}-{sequence}}, where {@code start} is the epoch
 * millisecond at which this generator was made, in base 36, and {@code sequence} counts from 0.
 *
 * <p>Ids are never reused: within one generator the sequence only grows; a generator made later, in
 * this process or after a restart, has a later start. Within one JVM two generators for the same
 * camera never share a start even when made in the same millisecond (the later one moves on to the
 * next free millisecond). Across processes uniqueness rests on a restart taking more than a
 * millisecond and on the wall clock not being set back past a previous start. Thread-safe.
 */
public final class FrameIds {
  private static final Map<String, Long> LAST_START = new ConcurrentHashMap<>();

  private final String camera;
  private final long startEpochMillis;
  private final String prefix;
  private long nextSequence;

  /** One issued id with its sequence number (the Frame's {@code sequence} field). */
  public record FrameId(String id, long sequence) {}

  public FrameIds(String camera) {
    this(camera, System.currentTimeMillis());
  }

  /** With a chosen start, e.g. for tests; still moved forward past any start already used here. */
  public FrameIds(String camera, long startEpochMillis) {
    this.camera = Topics.requireId("camera", camera);
    if (startEpochMillis < 0) {
      throw new IllegalArgumentException("start must be >= 0: " + startEpochMillis);
    }
    this.startEpochMillis =
        LAST_START.merge(
            camera, startEpochMillis, (previous, requested) -> Math.max(requested, previous + 1));
    this.prefix = camera + "-" + Long.toString(this.startEpochMillis, 36) + "-";
  }

  public synchronized FrameId next() {
    long seq = nextSequence++;
    return new FrameId(prefix + seq, seq);
  }

  /** How many ids were issued. */
  public synchronized long issued() {
    return nextSequence;
  }

  public String camera() {
    return camera;
  }

  public long startEpochMillis() {
    return startEpochMillis;
  }

  /** The id for the given parts, as {@link #next()} forms it. */
  public static String format(String camera, long startEpochMillis, long sequence) {
    return camera + "-" + Long.toString(startEpochMillis, 36) + "-" + sequence;
  }
}
