package io.edgedi.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatePacerTest {
  /** A clock that only moves when the pacer sleeps or the test says so. */
  private static final class FakeTime {
    long now = 1_000_000_000L;
    final List<Long> sleeps = new ArrayList<>();

    RatePacer pacer(double fps, Duration maxLag) {
      return new RatePacer(
          fps,
          maxLag,
          () -> now,
          nanos -> {
            sleeps.add(nanos);
            now += nanos;
          });
    }
  }

  @Test
  void realTimeTwentyFramesAtHundredFps() throws InterruptedException {
    RatePacer pacer = new RatePacer(100);
    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      pacer.await();
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 150, "took " + ms + " ms");
    assertTrue(ms < 2_000, "took " + ms + " ms");
  }

  @Test
  void zeroMeansNoWaiting() throws InterruptedException {
    FakeTime t = new FakeTime();
    RatePacer pacer = t.pacer(0, Duration.ofSeconds(1));
    for (int i = 0; i < 100; i++) {
      pacer.await();
    }
    assertTrue(t.sleeps.isEmpty());
  }

  @Test
  void workBetweenCallsDoesNotAccumulateDrift() throws InterruptedException {
    FakeTime t = new FakeTime();
    long start = t.now;
    RatePacer pacer = t.pacer(30, Duration.ofSeconds(1));
    for (int i = 0; i < 301; i++) {
      pacer.await();
      t.now += 7_000_000; // 7 ms of work per frame, which a relative sleep would add on top
    }
    // The 301st frame (slot 300) is released exactly 10 s after the first.
    assertEquals(10_000_000_000L, t.now - 7_000_000 - start);
  }

  @Test
  void catchesUpASmallLagButRestartsAfterALongStall() throws InterruptedException {
    FakeTime t = new FakeTime();
    RatePacer pacer = t.pacer(10, Duration.ofMillis(500));
    pacer.await();
    t.now += 250_000_000; // 2.5 slots late: slots 1 and 2 go out at once, slot 3 waits
    pacer.await();
    pacer.await();
    assertTrue(t.sleeps.isEmpty());
    pacer.await();
    assertEquals(List.of(50_000_000L), t.sleeps);
    t.sleeps.clear();
    t.now += 3_000_000_000L; // a 3 s stall: no burst of 30 frames
    pacer.await();
    assertEquals(1, pacer.resyncs());
    pacer.await();
    assertEquals(List.of(100_000_000L), t.sleeps);
  }

  @Test
  void rejectsBadRates() {
    assertThrows(IllegalArgumentException.class, () -> new RatePacer(-1));
    assertThrows(IllegalArgumentException.class, () -> new RatePacer(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new RatePacer(Double.POSITIVE_INFINITY));
  }
}
