package io.edgedi.planner.intake;

import io.edgedi.planner.journal.FrameSpool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames taken on and not yet settled, in arrival order: those held while this planner is a
 * standby, those waiting for a frame thread and those being run. A frame stays "in progress" from
 * {@link #add} until {@link #done} or {@link #settledElsewhere}, so a redelivery of it meanwhile is
 * recognised; a settled frame's spool file is removed here, an unsettled one (shutdown) stays for
 * the next run.
 *
 * <p>While {@link #hold holding} (a standby planner, docs/decisions/004-planner-failover.md) frames
 * are kept, not handed to frame threads, until the active planner's classification of them is seen
 * ({@link #settledElsewhere}) or this planner becomes active ({@link #release}).
 *
 * <p>Thread-safe: the intake adds (Paho's frames callback thread, the start-up thread), the
 * orchestrator and lane threads take and finish, the lease thread holds and releases, Paho's main
 * callback thread settles frames elsewhere.
 */
public final class FrameQueue {
  private static final Logger LOG = LoggerFactory.getLogger(FrameQueue.class);
  private final BlockingQueue<AcceptedFrame> waiting = new LinkedBlockingQueue<>();

  /** Held items by {@link AcceptedFrame#key()}: one whole frame, or the windows of one frame. */
  private final Map<String, List<AcceptedFrame>> held = new LinkedHashMap<>();

  private final Map<String, AcceptedFrame> inProgress = new ConcurrentHashMap<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong settledElsewhere = new AtomicLong();
  private final FrameSpool spool;
  private boolean holding;

  /**
   * @param spool where accepted frames were stored, or null when there is none
   */
  public FrameQueue(FrameSpool spool) {
    this.spool = spool;
  }

  public synchronized void add(AcceptedFrame frame) {
    add(frame, List.of(frame));
  }

  /**
   * Adds one camera frame as the items it is run as: the frame itself, or its windows (each taken
   * by a frame thread of its own). The frame stays in progress until its last item is done.
   */
  public synchronized void add(AcceptedFrame frame, List<AcceptedFrame> items) {
    inProgress.put(frame.key(), frame);
    accepted.incrementAndGet();
    if (holding) {
      held.computeIfAbsent(frame.key(), k -> new ArrayList<>()).addAll(items);
    } else {
      waiting.addAll(items);
    }
  }

  /**
   * From now on frames are held, not run (this planner is a standby); frames waiting for a frame
   * thread go back to being held. Frames being run finish or wait at the publisher's fence.
   */
  public synchronized void hold() {
    holding = true;
    List<AcceptedFrame> back = new ArrayList<>();
    waiting.drainTo(back);
    for (AcceptedFrame f : back) {
      held.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
    }
  }

  /**
   * This planner became active: every held frame goes to the frame threads, marked as one the
   * previous active planner may have classified, and new frames go straight to them. Returns how
   * many were held.
   */
  public synchronized int release() {
    holding = false;
    int n = held.size();
    for (List<AcceptedFrame> items : held.values()) {
      for (AcceptedFrame f : items) {
        waiting.add(f.asMayRepeat());
      }
    }
    held.clear();
    return n;
  }

  /**
   * Another planner published the frame's classification: if it is held or still waiting, it leaves
   * the queue and the spool. A frame being run is left to its frame thread (the publisher sees the
   * classification in the journal). True if the frame left here.
   */
  public boolean settledElsewhere(String frameId) {
    AcceptedFrame f;
    synchronized (this) {
      List<AcceptedFrame> items = held.remove(frameId);
      if (items == null) {
        items = waiting.stream().filter(w -> w.key().equals(frameId)).toList();
        // Every item still waiting: none is being run (a window being run is left to its thread).
        int open =
            items.isEmpty()
                ? -1
                : items.get(0).window() == null ? 1 : items.get(0).window().frame().unfinished();
        if (items.size() != open || !waiting.removeAll(items)) {
          return false;
        }
      }
      f = items.get(0);
      inProgress.remove(frameId);
    }
    settledElsewhere.incrementAndGet();
    removeSpooled(f);
    return true;
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

  /** Frames waiting for a frame thread (not counting those being run or held). */
  public int size() {
    return waiting.size();
  }

  /** Frames held while this planner is a standby. */
  public synchronized int held() {
    return held.size();
  }

  /** Frames that left because another planner classified them. */
  public long settledElsewhereCount() {
    return settledElsewhere.get();
  }

  /**
   * True from {@link #add} until {@link #done} or {@link #settledElsewhere}: held, waiting or being
   * run.
   */
  public boolean inProgress(String frameId) {
    return inProgress.containsKey(frameId);
  }

  /** Frames ever added (valid and not seen before, plus those resumed from the spool). */
  public long accepted() {
    return accepted.get();
  }

  /**
   * The frame left the frame thread. {@code settled}: classified or given up for good, so its spool
   * file goes; otherwise (interrupted by shutdown) the file stays and the next run finishes the
   * frame.
   */
  public void done(AcceptedFrame frame, boolean settled) {
    if (frame.window() != null) {
      var whole = frame.window().frame();
      if (!whole.finish(settled)) {
        return;
      }
      settled = whole.allSettled();
    }
    inProgress.remove(frame.key());
    if (settled) {
      removeSpooled(frame);
    }
  }

  private void removeSpooled(AcceptedFrame frame) {
    if (frame.spooled() == null) {
      return;
    }
    try {
      spool.remove(frame.spooled());
    } catch (IOException e) {
      LOG.warn("could not remove spooled frame {}: {}", frame.spooled(), e.toString());
    }
  }
}
