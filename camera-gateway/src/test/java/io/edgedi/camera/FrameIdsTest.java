package io.edgedi.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrameIdsTest {
  @Test
  void formatAndSequence() {
    FrameIds ids = new FrameIds("cam-fmt", 1_700_000_000_000L);
    FrameIds.FrameId first = ids.next();
    assertEquals(0, first.sequence());
    assertEquals("cam-fmt-" + Long.toString(ids.startEpochMillis(), 36) + "-0", first.id());
    assertEquals(FrameIds.format("cam-fmt", ids.startEpochMillis(), 1), ids.next().id());
    assertEquals(2, ids.issued());
  }

  @Test
  void twoGeneratorsStartedTogetherNeverShareAnId() {
    // As two gateway instances of one camera would be: same camera, same millisecond.
    long now = System.currentTimeMillis();
    FrameIds a = new FrameIds("cam-dup", now);
    FrameIds b = new FrameIds("cam-dup", now);
    FrameIds c = new FrameIds("cam-dup");
    assertTrue(b.startEpochMillis() > a.startEpochMillis());
    assertTrue(c.startEpochMillis() > b.startEpochMillis());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertTrue(seen.add(a.next().id()));
      assertTrue(seen.add(b.next().id()));
      assertTrue(seen.add(c.next().id()));
    }
  }

  @Test
  void idsAreUniqueUnderConcurrency() throws InterruptedException {
    FrameIds ids = new FrameIds("cam-conc");
    Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 2500; i++) {
                  seen.add(ids.next().id());
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(10_000, seen.size());
  }

  @Test
  void cameraMustBeATopicLevel() {
    assertThrows(IllegalArgumentException.class, () -> new FrameIds("cam/1"));
    assertThrows(IllegalArgumentException.class, () -> new FrameIds("+"));
  }
}
