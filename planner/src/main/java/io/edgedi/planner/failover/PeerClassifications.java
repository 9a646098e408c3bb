package io.edgedi.planner.failover;

import io.edgedi.planner.Rejections;
import io.edgedi.planner.intake.FrameQueue;
import io.edgedi.planner.journal.ClassifiedFrames;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.codec.BadMessageException;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Wire;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classifications the site's other planner publishes, as this planner reads them off the
 * classifications topic: each one goes into the journal (so the frame is never classified here, now
 * or after a restart) and its frame leaves this planner's queue and spool. What keeps a standby's
 * spool from holding every frame of the line (docs/decisions/004-planner-failover.md).
 *
 * <p>Runs on Paho's callback thread of the planner's main connection.
 */
public final class PeerClassifications {
  private static final Logger LOG = LoggerFactory.getLogger(PeerClassifications.class);

  private final String plannerId;
  private final ClassifiedFrames journal;
  private final FrameQueue queue;
  private final Rejections rejections;
  private final MessageCodec<Classification> codec = Wire.CLASSIFICATION.codec();
  private final AtomicLong seen = new AtomicLong();

  public PeerClassifications(
      String plannerId, ClassifiedFrames journal, FrameQueue queue, Rejections rejections) {
    this.plannerId = plannerId;
    this.journal = journal;
    this.queue = queue;
    this.rejections = rejections;
  }

  public void accept(String topic, byte[] payload) {
    Classification c;
    try {
      c = codec.decode(payload);
    } catch (BadMessageException e) {
      rejections.reject(e.reason(), e.getMessage(), null, topic, payload.length);
      return;
    }
    // This planner's own come back too: harmless for a frame being run (it stays with its frame
    // thread), and one a previous run of this planner published but did not journal leaves.
    if (!plannerId.equals(c.getPlannerId())) {
      seen.incrementAndGet();
    }
    try {
      journal.record(c.getFrameId());
    } catch (IOException e) {
      // The frame still leaves the queue; after a restart it could be classified again (marked).
      LOG.warn(
          "could not journal frame {} classified by {}: {}",
          c.getFrameId(),
          c.getPlannerId(),
          e.toString());
    }
    queue.settledElsewhere(c.getFrameId());
  }

  /** Classifications of other planners read so far. */
  public long seen() {
    return seen.get();
  }
}
