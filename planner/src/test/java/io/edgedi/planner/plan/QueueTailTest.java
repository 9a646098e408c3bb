package io.edgedi.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

class QueueTailTest {
  private static final long MS = 1_000_000L;

  @Test
  void aSlowGroupLeavesTheLastFramesToFasterOnes() {
    // Groups: 60 ms, 150 ms, 260 ms per frame, all idle.
    QueueTail tail = new QueueTail(List.of(60.0, 150.0, 260.0));
    assertTrue(tail.shouldTake(2, 20, 0), "a long queue keeps every group busy");
    // Within 260 ms the others finish 4 + 1 frames: the slow group should not take one of 5.
    assertFalse(tail.shouldTake(2, 5, 0));
    assertTrue(tail.shouldTake(2, 6, 0));
    assertTrue(tail.shouldTake(0, 1, 0), "the group that finishes first always takes");
  }

  @Test
  void workInHandCountsAgainstAGroup() {
    QueueTail tail = new QueueTail(List.of(60.0, 150.0));
    long token = tail.start(0, 0);
    // Group 0 is 10 ms into a frame: a new one would finish at 110 ms; group 1 at 150 ms.
    assertTrue(tail.shouldTake(0, 1, 10 * MS));
    assertFalse(tail.shouldTake(1, 1, 10 * MS));
    tail.start(0, 10 * MS);
    // Now group 0 holds 50 + 60 ms and would finish a third frame at 170 ms: group 1 is first.
    assertTrue(tail.shouldTake(1, 1, 10 * MS));
    tail.finish(0, token);
    assertFalse(tail.shouldTake(1, 1, 10 * MS));
  }

  @Test
  void tiesDoNotStallTheQueue() {
    QueueTail tail = new QueueTail(List.of(100.0, 100.0));
    assertTrue(tail.shouldTake(0, 1, 0));
    assertTrue(tail.shouldTake(1, 1, 0));
    assertTrue(new QueueTail(List.of(80.0)).shouldTake(0, 1, 0));
    assertFalse(new QueueTail(List.of(80.0)).shouldTake(0, 0, 0));
  }

  @Test
  void emptiesABurstNoLaterThanGreedyPulling() {
    List<Double> times = List.of(67.0, 150.0, 157.0, 258.0);
    for (int frames : new int[] {5, 12, 30, 60, 61, 97}) {
      double greedy = simulate(times, frames, false);
      double ruled = simulate(times, frames, true);
      assertTrue(ruled <= greedy + 1e-9, frames + " frames: " + ruled + " > greedy " + greedy);
    }
    assertTrue(
        simulate(times, 60, true) < simulate(times, 60, false),
        "the rule should help on 60 frames");
  }

  @Test
  void rejectsImpossibleFrameTimes() {
    assertThrows(IllegalArgumentException.class, () -> new QueueTail(List.of(10.0, 0.0)));
    assertThrows(IllegalArgumentException.class, () -> new QueueTail(List.of(Double.NaN)));
  }

  /** One lane per group, event by event: when the queue empties, with or without the rule. */
  private static double simulate(List<Double> times, int frames, boolean rule) {
    QueueTail tail = new QueueTail(times);
    int queued = frames;
    record Event(double at, int group, long token) {}
    PriorityQueue<Event> running = new PriorityQueue<>((a, b) -> Double.compare(a.at, b.at));
    List<Integer> idle = new ArrayList<>();
    for (int g = 0; g < times.size(); g++) {
      idle.add(g);
    }
    double now = 0;
    double end = 0;
    while (queued > 0 || !running.isEmpty()) {
      for (int g : List.copyOf(idle)) {
        long nanos = (long) (now * MS);
        if (queued > 0 && (!rule || tail.shouldTake(g, queued, nanos))) {
          long token = tail.start(g, nanos);
          running.add(new Event(now + times.get(g), g, token));
          idle.remove(Integer.valueOf(g));
          queued--;
        }
      }
      Event e = running.poll();
      if (e == null) {
        throw new AssertionError("stalled with " + queued + " frames queued");
      }
      now = e.at;
      end = Math.max(end, now);
      tail.finish(e.group, e.token);
      idle.add(e.group);
    }
    assertEquals(0, queued);
    return end;
  }
}
