package io.edgedi.planner.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.planner.journal.FrameSpool;
import io.edgedi.schemas.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby's queue: frames held until the active planner classifies them or this one takes over.
 */
class FrameQueueHoldTest {
  @TempDir Path dir;

  private static Frame frame(String id) {
    return Frame.newBuilder()
        .setFrameId(id)
        .setSite("s")
        .setLine("l")
        .setCamera("c")
        .setSequence(0)
        .setCapturedAtMicros(0)
        .setWidth(1)
        .setHeight(1)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(new byte[1]))
        .setLabel(null)
        .build();
  }

  private AcceptedFrame spooled(FrameSpool spool, String id) throws IOException {
    return new AcceptedFrame(frame(id), "l", "c", 0, spool.store(new byte[] {1}));
  }

  private long files() throws IOException {
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void heldFramesAreNotRunAndLeaveWithTheirSpoolFileWhenClassifiedElsewhere() throws IOException {
    FrameSpool spool = new FrameSpool(dir);
    FrameQueue q = new FrameQueue(spool);
    q.hold();
    q.add(spooled(spool, "f1"));
    q.add(spooled(spool, "f2"));
    assertNull(q.poll());
    assertEquals(2, q.held());
    assertTrue(q.inProgress("f1"));
    assertTrue(q.settledElsewhere("f1"));
    assertFalse(q.inProgress("f1"));
    assertEquals(1, files());
    assertFalse(q.settledElsewhere("f1"), "once");
    assertEquals(1, q.settledElsewhereCount());
  }

  @Test
  void releaseRunsTheHeldFramesInOrderMarkedAsPossibleRepeatsAndLaterOnesUnmarked()
      throws IOException {
    FrameSpool spool = new FrameSpool(dir);
    FrameQueue q = new FrameQueue(spool);
    q.hold();
    q.add(spooled(spool, "f1"));
    q.add(spooled(spool, "f2"));
    assertEquals(2, q.release());
    q.add(spooled(spool, "f3"));
    AcceptedFrame a = q.poll();
    AcceptedFrame b = q.poll();
    AcceptedFrame c = q.poll();
    assertEquals("f1", a.frameId());
    assertTrue(a.mayRepeat());
    assertEquals("f2", b.frameId());
    assertTrue(b.mayRepeat());
    assertEquals("f3", c.frameId());
    assertFalse(c.mayRepeat());
    assertEquals(0, q.held());
  }

  @Test
  void holdingAgainTakesBackWaitingFramesAndAWaitingFrameCanBeSettledElsewhere()
      throws IOException {
    FrameSpool spool = new FrameSpool(dir);
    FrameQueue q = new FrameQueue(spool);
    q.add(spooled(spool, "f1"));
    q.add(spooled(spool, "f2"));
    assertTrue(q.settledElsewhere("f2"), "a late classification by the planner active before");
    q.hold();
    assertNull(q.poll());
    assertEquals(1, q.held());
    assertEquals(1, files());
  }
}
