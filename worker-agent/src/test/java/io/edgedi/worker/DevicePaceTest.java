package io.edgedi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DevicePaceTest {
  @Test
  void aStepLastsItsCpuTimeOverTheDevicesShare() {
    AtomicLong cpu = new AtomicLong(1_000_000_000L);
    DevicePace pace = DevicePace.of(0.25, cpu::get, null);
    DevicePace.Mark m = pace.mark();
    cpu.addAndGet(5_000_000); // the step used 5 ms of CPU: a quarter core needs 20 ms for it
    pace.stretch(m);
    long wall = System.nanoTime() - m.wallNanos();
    assertTrue(wall >= 19_900_000, "stretched to ~20 ms, was " + wall / 1e6 + " ms");
  }

  @Test
  void timeAlreadyWaitedIsNotSleptAgain() throws Exception {
    AtomicLong cpu = new AtomicLong();
    DevicePace pace = DevicePace.of(0.5, cpu::get, null);
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
    assertThrows(IllegalArgumentException.class, () -> DevicePace.of(0, () -> 0, null));
    assertThrows(IllegalArgumentException.class, () -> DevicePace.of(1.5, () -> 0, null));
    assertThrows(IllegalArgumentException.class, () -> DevicePace.of(Double.NaN, () -> 0, null));
  }

  @Test
  void theRealClockCountsTheCallingThreadsWork() {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
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
    // At half a core the step lasts at least twice the CPU it used (a little slack for the clock
    // reads).
    assertTrue(
        wall >= 2 * cpu - 200_000,
        cpu / 1e6 + " ms of CPU paced at half a core took " + wall / 1e6 + " ms");
  }

  @Test
  void messagingBetweenStepsDelaysTheNextStepButIsNotItsComputeTime() {
    AtomicLong cpu = new AtomicLong();
    Map<Long, Long> threads = new HashMap<>();
    long mqtt = Thread.currentThread().getId() + 1000;
    threads.put(mqtt, 0L);
    DevicePace pace = DevicePace.of(0.25, cpu::get, () -> new HashMap<>(threads));
    pace.stretch(pace.mark()); // the first step only sets the baseline
    threads.put(mqtt, 2_000_000L); // an MQTT thread decoded a tile: 2 ms of CPU
    cpu.addAndGet(1_000_000); // and this thread spent 1 ms between the steps
    long before = System.nanoTime();
    DevicePace.Mark m = pace.mark();
    long waited = m.wallNanos() - before;
    // The 3 ms of messaging would have taken 12 ms at a quarter core instead of 3: 9 ms more.
    assertTrue(
        waited >= 8_900_000 && waited < 60_000_000,
        "waited " + waited / 1e6 + " ms before the step");
    cpu.addAndGet(1_000_000); // the step: 1 ms of CPU -> 4 ms at a quarter core
    pace.stretch(m);
    long step = System.nanoTime() - m.wallNanos();
    assertTrue(
        step >= 3_900_000 && step < 9_000_000,
        "the step alone should take ~4 ms, took " + step / 1e6);
    assertEquals(3_000_000, pace.messagingChargedNanos());
  }

  @Test
  void workOfOtherThreadsDuringAStepIsNotCharged() {
    AtomicLong cpu = new AtomicLong();
    Map<Long, Long> threads = new HashMap<>();
    DevicePace pace = DevicePace.of(0.5, cpu::get, () -> new HashMap<>(threads));
    pace.stretch(pace.mark());
    DevicePace.Mark m = pace.mark();
    threads.put(
        7L, 5_000_000L); // received the next tile while this step computed: another core's work
    pace.stretch(m);
    long before = System.nanoTime();
    pace.mark();
    assertEquals(0, pace.messagingChargedNanos());
    assertTrue(System.nanoTime() - before < 4_000_000);
  }

  @Test
  void messagingAcrossAnIdleGapIsNotCharged() throws Exception {
    AtomicLong cpu = new AtomicLong();
    Map<Long, Long> threads = new HashMap<>();
    DevicePace pace = DevicePace.of(0.25, cpu::get, () -> new HashMap<>(threads));
    pace.stretch(pace.mark());
    threads.put(42L, 50_000_000L); // a thread born since then: start-up work, telemetry
    Thread.sleep(DevicePace.IDLE_NANOS / 1_000_000 + 50);
    long before = System.nanoTime();
    pace.stretch(pace.mark());
    assertEquals(0, pace.messagingChargedNanos());
    assertTrue(System.nanoTime() - before < 20_000_000);
  }

  @Test
  void workBeforeSettlingIsNotCharged() {
    AtomicLong cpu = new AtomicLong();
    Map<Long, Long> threads = new HashMap<>();
    DevicePace pace = DevicePace.of(0.25, cpu::get, () -> new HashMap<>(threads));
    pace.stretch(pace.mark()); // calibration's last step
    threads.put(9L, 40_000_000L); // connecting, within the idle gap
    pace.settle();
    threads.put(9L, 41_000_000L); // then a tile arrives: 1 ms
    pace.mark();
    assertEquals(1_000_000, pace.messagingChargedNanos());
  }

  @Test
  void computeOnlyPacingChargesNoMessaging() {
    AtomicLong cpu = new AtomicLong();
    DevicePace pace = DevicePace.of(0.5, cpu::get, null);
    pace.stretch(pace.mark());
    cpu.addAndGet(3_000_000);
    DevicePace.Mark m = pace.mark();
    pace.stretch(m);
    assertFalse(pace.pacesMessaging());
    assertEquals(0, pace.messagingChargedNanos());
    assertTrue(
        System.nanoTime() - m.wallNanos() < 3_000_000, "the 3 ms outside the step is not paced");
  }
}
