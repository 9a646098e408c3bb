package io.edgedi.planner.window;

import io.edgedi.inference.window.Window;
import io.edgedi.planner.aggregate.FrameRun;
import io.edgedi.planner.intake.AcceptedFrame;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.schemas.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A frame larger than the model input, cut into windows that are run like frames of their own
 * (queued one by one, so they spread over worker groups as queued frames do) and gathered here
 * until the last one is in; whichever frame thread records the last window publishes the frame.
 *
 * <p>A window is recorded (its result or its failure) by the thread that ran it, and finished by
 * the queue once that thread lets go of it; the frame's spool file may go only when every window
 * finished settled. Thread-safe.
 */
public final class WindowedFrame {
  /** What became of one window: its plan and result, or why it failed for good. */
  public record Outcome(
      Window window, FramePlan plan, FrameRun.Result result, long startedMicros, String failure) {
    public boolean failed() {
      return failure != null;
    }
  }

  private static final String SEPARATOR = "#w";

  private final AcceptedFrame whole;
  private final List<Window> windows;
  private final Outcome[] outcomes;
  private int recorded;
  private int finished;
  private boolean allSettled = true;
  private volatile boolean mayRepeat;

  public WindowedFrame(AcceptedFrame whole, List<Window> windows) {
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("frame " + whole.frameId() + " has no windows");
    }
    this.whole = whole;
    this.windows = List.copyOf(windows);
    this.outcomes = new Outcome[windows.size()];
    this.mayRepeat = whole.mayRepeat();
  }

  /** A window's own frame id: the frame's id and the window's index. */
  public static String windowId(String frameId, int index) {
    return frameId + SEPARATOR + index;
  }

  /** The frame id a window id belongs to, or the id itself when it is not a window's. */
  public static String frameIdOf(String id) {
    int at = id.lastIndexOf(SEPARATOR);
    if (at <= 0) {
      return id;
    }
    String tail = id.substring(at + SEPARATOR.length());
    return !tail.isEmpty() && tail.chars().allMatch(Character::isDigit) ? id.substring(0, at) : id;
  }

  public AcceptedFrame whole() {
    return whole;
  }

  public String frameId() {
    return whole.frameId();
  }

  public List<Window> windows() {
    return windows;
  }

  /** One queue item per window: a frame of the window's pixels under the window's id. */
  public List<AcceptedFrame> items() {
    Frame f = whole.frame();
    ByteBuffer px = f.getPixels().duplicate();
    byte[] all = new byte[px.remaining()];
    px.get(all);
    List<AcceptedFrame> out = new ArrayList<>(windows.size());
    for (Window w : windows) {
      Frame crop =
          Frame.newBuilder(f)
              .setFrameId(windowId(f.getFrameId(), w.index()))
              .setWidth(w.width())
              .setHeight(w.height())
              .setPixels(ByteBuffer.wrap(w.crop(all, f.getWidth(), f.getChannels())))
              .setLabel(null)
              .build();
      out.add(
          new AcceptedFrame(
              crop,
              whole.line(),
              whole.camera(),
              whole.receivedAtMicros(),
              whole.spooled(),
              whole.mayRepeat(),
              new WindowPart(this, w)));
    }
    return out;
  }

  /** Another planner may already have published this frame (set when a standby takes over). */
  public void markMayRepeat() {
    mayRepeat = true;
  }

  public boolean mayRepeat() {
    return mayRepeat;
  }

  /**
   * Records a window's outcome; true for the last of the frame's windows (its thread publishes).
   */
  public synchronized boolean record(Outcome o) {
    if (outcomes[o.window().index()] != null) {
      throw new IllegalStateException(
          "window " + o.window().index() + " of frame " + frameId() + " recorded twice");
    }
    outcomes[o.window().index()] = o;
    recorded++;
    return recorded == outcomes.length;
  }

  /** The outcomes in window order; complete once {@link #record} returned true. */
  public synchronized List<Outcome> outcomes() {
    return List.of(outcomes.clone());
  }

  /** Windows that failed for good. */
  public synchronized long failures() {
    return java.util.Arrays.stream(outcomes).filter(o -> o != null && o.failed()).count();
  }

  /** A window left its frame thread ({@code settled}: recorded); true for the last one. */
  public synchronized boolean finish(boolean settled) {
    allSettled &= settled;
    finished++;
    return finished == outcomes.length;
  }

  /** True when every window finished settled: the frame is done with and its spool file may go. */
  public synchronized boolean allSettled() {
    return allSettled && finished == outcomes.length;
  }

  /** Windows not yet finished (waiting, held, or being run). */
  public synchronized int unfinished() {
    return outcomes.length - finished;
  }
}
