package io.edgedi.planner.aggregate;

import io.edgedi.planner.Rejections;
import io.edgedi.planner.intake.SeenFrames;
import io.edgedi.planner.window.WindowedFrame;
import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.codec.BadMessageException;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Wire;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the workers' band results to the {@link FrameRun} of their frame: one inbox per frame
 * being run. A result for a frame that is finished is dropped quietly (a losing attempt's,
 * expected); one for a frame never taken on is rejected. Thread-safe: {@link #deliver} runs on
 * Paho's callback thread of the planner's main connection; the frame threads (orchestrator, lanes)
 * {@link #open} and {@link #close} inboxes.
 */
public final class ResultInboxes {
  private static final Logger LOG = LoggerFactory.getLogger(ResultInboxes.class);
  private final MessageCodec<BandResult> codec = Wire.BAND_RESULT.codec();
  private final Map<String, BlockingQueue<FrameRun.Arrival>> inboxes = new ConcurrentHashMap<>();
  private final SeenFrames seen;
  private final Rejections rejections;

  public ResultInboxes(SeenFrames seen, Rejections rejections) {
    this.seen = seen;
    this.rejections = rejections;
  }

  /** A fresh inbox for one attempt at the frame; replaces the previous attempt's. */
  public BlockingQueue<FrameRun.Arrival> open(String frameId) {
    BlockingQueue<FrameRun.Arrival> inbox = new LinkedBlockingQueue<>();
    inboxes.put(frameId, inbox);
    return inbox;
  }

  public void close(String frameId) {
    inboxes.remove(frameId);
  }

  /** Handles one message from the planner's partials topic. */
  public void deliver(String topic, byte[] payload) {
    try {
      BandResult p = codec.decode(payload);
      BlockingQueue<FrameRun.Arrival> inbox = inboxes.get(p.getFrameId());
      if (inbox == null && seen.contains(WindowedFrame.frameIdOf(p.getFrameId()))) {
        // A losing attempt's result arriving after its frame was finished: expected, harmless.
        LOG.debug("late result for finished frame {} ignored", p.getFrameId());
        return;
      }
      if (inbox == null) {
        rejections.reject(
            RejectReason.UNKNOWN_FRAME,
            "band result for a frame not in progress (late or" + " stale)",
            p.getFrameId(),
            topic,
            payload.length);
        return;
      }
      inbox.add(new FrameRun.Arrival(p, payload.length, io.edgedi.transport.Clock.micros()));
    } catch (BadMessageException e) {
      rejections.reject(e.reason(), e.getMessage(), null, topic, payload.length);
    }
  }
}
