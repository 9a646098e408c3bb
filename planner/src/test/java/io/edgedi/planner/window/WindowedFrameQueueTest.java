package io.edgedi.planner.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.window.WindowGrid;
import io.edgedi.planner.intake.AcceptedFrame;
import io.edgedi.planner.intake.FrameQueue;
import io.edgedi.planner.journal.FrameSpool;
import io.edgedi.schemas.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frame run as windows: queued as its windows, in progress and spooled until the last is done.
 */
class WindowedFrameQueueTest {
  @TempDir Path dir;

  private static final WindowGrid GRID = WindowGrid.adjacent(4, 4);

  private static Frame frame(String id, int width, int height) {
    byte[] px = new byte[width * height];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) i;
    }
    return Frame.newBuilder()
        .setFrameId(id)
        .setSite("s")
        .setLine("l")
        .setCamera("c")
        .setSequence(0)
        .setCapturedAtMicros(0)
        .setWidth(width)
        .setHeight(height)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(px))
        .setLabel("scratches")
        .build();
  }

  private WindowedFrame windowed(FrameSpool spool, String id) throws IOException {
    AcceptedFrame whole =
        new AcceptedFrame(frame(id, 10, 4), "l", "c", 0, spool.store(new byte[] {1}));
    return new WindowedFrame(whole, GRID.windows(10, 4));
  }

  private long files() throws IOException {
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }

  private static List<AcceptedFrame> drain(FrameQueue q) {
    List<AcceptedFrame> out = new ArrayList<>();
    for (AcceptedFrame a = q.poll(); a != null; a = q.poll()) {
      out.add(a);
    }
    return out;
  }

  @Test
  void windowsAreCropsUnderTheirOwnIdsThatNameTheirFrame() throws IOException {
    WindowedFrame w = windowed(new FrameSpool(dir), "f1");
    List<AcceptedFrame> items = w.items();
    assertEquals(3, items.size(), "x = 0, 4 and 6");
    assertEquals("f1#w2", items.get(2).frameId());
    assertEquals("f1", items.get(2).key());
    assertEquals("f1", WindowedFrame.frameIdOf("f1#w2"));
    assertEquals("f1#wx", WindowedFrame.frameIdOf("f1#wx"), "not a window id");
    Frame crop = items.get(1).frame();
    assertEquals(4, crop.getWidth());
    assertEquals(4, crop.getHeight());
    assertNull(crop.getLabel(), "a window does not inherit the frame's label");
    assertEquals(14, crop.getPixels().get(4), "row 1, x 4 of the 10-wide frame");
  }

  @Test
  void theFrameStaysInProgressAndSpooledUntilItsLastWindowIsDone() throws IOException {
    FrameSpool spool = new FrameSpool(dir);
    FrameQueue q = new FrameQueue(spool);
    WindowedFrame w = windowed(spool, "f1");
    q.add(w.whole(), w.items());
    assertEquals(3, q.size(), "each window waits for a frame thread of its own");
    assertEquals(1, q.accepted(), "one camera frame");
    List<AcceptedFrame> taken = drain(q);
    q.done(taken.get(0), true);
    q.done(taken.get(1), true);
    assertTrue(q.inProgress("f1"));
    assertEquals(1, files());
    q.done(taken.get(2), true);
    assertFalse(q.inProgress("f1"));
    assertEquals(0, files());
  }

  @Test
  void aWindowInterruptedByShutdownKeepsTheFrameSpooledForTheNextRun() throws IOException {
    FrameSpool spool = new FrameSpool(dir);
    FrameQueue q = new FrameQueue(spool);
    WindowedFrame w = windowed(spool, "f1");
    q.add(w.whole(), w.items());
    List<AcceptedFrame> taken = drain(q);
    q.done(taken.get(0), true);
    q.done(taken.get(1), false);
    q.done(taken.get(2), true);
    assertFalse(q.inProgress("f1"));
    assertEquals(1, files());
  }

  @Test
  void aStandbyHoldsTheFrameWholeAndReleasesEveryWindowMarkedAsPossibleRepeat() throws IOException {
    FrameSpool spool = new FrameSpool(dir);
    FrameQueue q = new FrameQueue(spool);
    q.hold();
    WindowedFrame w = windowed(spool, "f1");
    q.add(w.whole(), w.items());
    assertEquals(1, q.held());
    assertNull(q.poll());
    assertEquals(1, q.release());
    List<AcceptedFrame> taken = drain(q);
    assertEquals(3, taken.size());
    assertTrue(taken.stream().allMatch(AcceptedFrame::mayRepeat));
    assertTrue(w.mayRepeat(), "the frame publishes as a possible repeat");
  }

  @Test
  void classifiedElsewhereTheWaitingWindowsLeaveUnlessOneIsBeingRun() throws IOException {
    FrameSpool spool = new FrameSpool(dir);
    FrameQueue q = new FrameQueue(spool);
    WindowedFrame a = windowed(spool, "a");
    q.add(a.whole(), a.items());
    assertTrue(q.settledElsewhere("a"));
    assertEquals(0, q.size());
    assertEquals(0, files());

    WindowedFrame b = windowed(spool, "b");
    q.add(b.whole(), b.items());
    AcceptedFrame running = q.poll();
    assertFalse(q.settledElsewhere("b"), "left to the frame threads: one window is being run");
    assertEquals(2, q.size());
    assertEquals("b#w0", running.frameId());
  }

  @Test
  void theLastRecordedWindowIsToldSoAndAWindowIsRecordedOnce() throws IOException {
    WindowedFrame w = windowed(new FrameSpool(dir), "f1");
    var windows = w.windows();
    assertFalse(w.record(new WindowedFrame.Outcome(windows.get(2), null, null, 0, null)));
    assertFalse(w.record(new WindowedFrame.Outcome(windows.get(0), null, null, 0, "gone")));
    assertThrows(
        IllegalStateException.class,
        () -> w.record(new WindowedFrame.Outcome(windows.get(0), null, null, 0, null)));
    assertTrue(w.record(new WindowedFrame.Outcome(windows.get(1), null, null, 0, null)));
    assertEquals(1, w.failures());
  }
}
