package io.edgedi.planner.intake;

import io.edgedi.planner.journal.FrameSpool;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames taken on and not yet settled, in arrival order: those waiting for a frame thread
 * and those being run. A frame stays "in progress" from {@link #add} until {@link #done}, so a
 * redelivery of it meanwhile is recognised; a settled frame's spool file is removed here, an
 * unsettled one (shutdown) stays for the next run. Thread-safe: the intake adds (Paho's frames
 * callback thread, the start-up thread), the orchestrator and lane threads take and finish.
 */
public final class FrameQueue {
  private static final Logger LOG = LoggerFactory.getLogger(FrameQueue.class);
  private final BlockingQueue<AcceptedFrame> waiting = new LinkedBlockingQueue<>();
  private final Map<String, AcceptedFrame> inProgress = new ConcurrentHashMap<>();
  private final AtomicLong accepted = new AtomicLong();
  private final FrameSpool spool;

  /** @param spool where accepted frames were stored, or null when there is none */
  public FrameQueue(FrameSpool spool) {
    this.spool = spool;
  }

  public void add(AcceptedFrame frame) {
    inProgress.put(frame.frameId(), frame);
    accepted.incrementAndGet();
    waiting.add(frame);
  }

  /** The next waiting frame, or null after {@code millis} without one. */
  public AcceptedFrame poll(long millis) throws InterruptedException {
    return waiting.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** The next waiting frame, or null if none waits. */
  public AcceptedFrame poll() {
    return waiting.poll();
  }

  public boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** Frames waiting for a frame thread (not counting those being run). */
  public int size() {
    return waiting.size();
  }

  /** True from {@link #add} until {@link #done}: waiting or being run. */
  public boolean inProgress(String frameId) {
    return inProgress.containsKey(frameId);
  }

  /** Frames ever added (valid and not seen before, plus those resumed from the spool). */
  public long accepted() {
    return accepted.get();
  }

  /**
   * The frame left the frame thread. {@code settled}: classified or given up for good, so its
   * spool file goes; otherwise (interrupted by shutdown) the file stays and the next run
   * finishes the frame.
   */
  public void done(AcceptedFrame frame, boolean settled) {
    inProgress.remove(frame.frameId());
    if (settled && frame.spooled() != null) {
      try {
        spool.remove(frame.spooled());
      } catch (IOException e) {
        LOG.warn("could not remove spooled frame {}: {}", frame.spooled(), e.toString());
      }
    }
  }
}
