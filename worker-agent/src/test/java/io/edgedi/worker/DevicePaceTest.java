package io.edgedi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DevicePaceTest {
  @Test
  void aStepLastsItsCpuTimeOverTheDevicesShare() {
    AtomicLong cpu = new AtomicLong(1_000_000_000L);
    DevicePace pace = DevicePace.of(0.25, cpu::get);
    DevicePace.Mark m = pace.mark();
    cpu.addAndGet(5_000_000); // the step used 5 ms of CPU: a quarter core needs 20 ms for it
    pace.stretch(m);
    long wall = System.nanoTime() - m.wallNanos();
    assertTrue(wall >= 19_900_000, "stretched to ~20 ms, was " + wall / 1e6 + " ms");
  }

  @Test
  void timeAlreadyWaitedIsNotSleptAgain() throws Exception {
    AtomicLong cpu = new AtomicLong();
    DevicePace pace = DevicePace.of(0.5, cpu::get);
    DevicePace.Mark m = pace.mark();
    cpu.addAndGet(2_000_000); // 2 ms of CPU at half a core: 4 ms, but 10 ms have passed (throttled)
    Thread.sleep(10);
    assertEquals(0, pace.stretch(m));
  }

  @Test
  void offNeverSleeps() {
    DevicePace off = DevicePace.off();
    assertFalse(off.on());
    assertEquals(0, off.stretch(off.mark()));
  }

  @Test
  void sharesOutsideOneCoreAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> DevicePace.of(0, () -> 0));
    assertThrows(IllegalArgumentException.class, () -> DevicePace.of(1.5, () -> 0));
    assertThrows(IllegalArgumentException.class, () -> DevicePace.of(Double.NaN, () -> 0));
  }

  @Test
  void theRealClockCountsTheCallingThreadsWork() {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    DevicePace pace = DevicePace.of(0.5);
    long cpuBefore = threads.getCurrentThreadCpuTime();
    DevicePace.Mark m = pace.mark();
    long spin = System.nanoTime() + 3_000_000;
    double x = 0;
    while (System.nanoTime() < spin) {
      x += Math.sqrt(x + 1);
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
    pace.stretch(m);
    long wall = System.nanoTime() - m.wallNanos();
    assertTrue(cpu > 0 && x > 0);
    // At half a core the step lasts at least twice the CPU it used (a little slack for the clock reads).
    assertTrue(wall >= 2 * cpu - 200_000, cpu / 1e6 + " ms of CPU paced at half a core took " + wall / 1e6 + " ms");
  }
}
