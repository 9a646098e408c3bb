package io.edgedi.planner.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpeedEstimatorTest {
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final SpeedEstimator est = new SpeedEstimator(clock::get, 10_000, 30_000);

  private static WorkerStatus telemetry(double secondsPerGflop, double overheadMillis, long at) {
    return new WorkerStatus("pi", true, at, secondsPerGflop, overheadMillis, 4, 0.1, 0, "m");
  }

  /** A tile of 50 MMAC (0.1 GFLOP) on a worker at the given s/GFLOP with 2 ms overhead. */
  private void tile(double secondsPerGflop) {
    long macs = 50_000_000L;
    long compute = (long) ((2 + secondsPerGflop * 0.1 * 1e3) * 1e3);
    est.record("pi", macs, compute, 1, 400_000, 100_000, compute + 45_000, compute);
    clock.addAndGet(100);
  }

  @Test
  void followsAThreefoldSlowdownWithinAFewTiles() {
    est.observe(telemetry(1.0, 2, 1));
    for (int i = 0; i < 10; i++) {
      tile(1.0);
    }
    assertEquals(1.0, est.estimate("pi").orElseThrow().secondsPerGflop(), 0.01);
    int tiles = 0;
    while (est.estimate("pi").orElseThrow().secondsPerGflop() < 2.7 && tiles < 10) {
      tile(3.0);
      tiles++;
    }
    assertTrue(tiles <= 3, "took " + tiles + " tiles to see a 3x slowdown");
  }

  @Test
  void oneJitterMovesTheEstimateLessThanASustainedChange() {
    est.observe(telemetry(1.0, 2, 1));
    for (int i = 0; i < 10; i++) {
      tile(1.0);
    }
    tile(1.4);
    assertTrue(est.estimate("pi").orElseThrow().secondsPerGflop() < 1.15);
  }

  @Test
  void learnsTheLinkFromTilesOfDifferentSizes() {
    est.observe(telemetry(1.0, 2, 1));
    double bytesPerSecond = 5e6;
    double latency = 4;
    for (int i = 0; i < 12; i++) {
      long bytes = i % 2 == 0 ? 100_000 : 1_000_000;
      long compute = 10_000;
      long network = (long) ((2 * latency + bytes / bytesPerSecond * 1e3) * 1e3);
      est.record(
          "pi",
          1_000_000,
          compute,
          1,
          bytes / 2,
          bytes / 2,
          compute + network + 3_000,
          compute + 3_000);
    }
    SpeedEstimator.Estimate e = est.estimate("pi").orElseThrow();
    assertEquals(bytesPerSecond, e.bytesPerSecond(), bytesPerSecond * 0.02);
    assertEquals(latency, e.latencyMillis(), 0.1);
  }

  @Test
  void adjustedWorkersCarryTheLearnedSpeedAndLink() {
    WorkerStatus t = telemetry(1.0, 2, 1);
    List<WorkerStatus> before = List.of(t);
    assertEquals(t.secondsPerGflop(), est.adjust(before).get(0).secondsPerGflop(), 1e-12);
    for (int i = 0; i < 6; i++) {
      tile(3.0);
    }
    WorkerStatus after = est.adjust(before).get(0);
    assertTrue(after.secondsPerGflop() > 2.5, "" + after);
    assertEquals(2, after.overheadMillis(), 1e-9);
    assertTrue(after.linkBytesPerSecond() > 0 && after.linkLatencyMillis() >= 0);
    assertEquals("pi", after.workerId());
  }

  @Test
  void anUnusedWorkerIsTriedAgainAfterAWhile() {
    est.observe(telemetry(1.0, 2, 1));
    for (int i = 0; i < 5; i++) {
      tile(1.0);
    }
    for (int i = 0; i < 5; i++) {
      tile(4.0);
    }
    double slow = est.estimate("pi").orElseThrow().secondsPerGflop();
    assertTrue(slow > 3.5);
    clock.addAndGet(10_000 + 120_000);
    double relaxed = est.estimate("pi").orElseThrow().secondsPerGflop();
    assertTrue(relaxed < 1.2, "relaxed to " + relaxed);
  }

  @Test
  void workerStatusKeepsItsOldConstructorAndDefaultsTheLink() {
    WorkerStatus w = new WorkerStatus("x", true, 0, 1, 2, 4, 0, 0, "m");
    assertEquals(WorkerStatus.DEFAULT_LINK_BYTES_PER_SECOND, w.linkBytesPerSecond());
    assertEquals(WorkerStatus.DEFAULT_LINK_LATENCY_MILLIS, w.linkLatencyMillis());
    assertEquals(
        WorkerStatus.DEFAULT_LINK_BYTES_PER_SECOND,
        w.withLink(-1, Double.NaN).linkBytesPerSecond());
    assertEquals(3e6, w.withLink(3e6, 7).linkBytesPerSecond());
  }

  @Test
  void aBandPausedAtAttentionsPaysOneOverheadPerRun() {
    est.observe(telemetry(1.0, 2, 1));
    // 0.1 GFLOP at 1 s/GFLOP = 100 ms, in 6 runs (5 attentions): 12 ms of overhead.
    for (int i = 0; i < 10; i++) {
      est.record("pi", 50_000_000L, 112_000, 6, 400_000, 100_000, 160_000, 112_000);
    }
    assertEquals(1.0, est.estimate("pi").orElseThrow().secondsPerGflop(), 0.01);
  }

  @Test
  void thinBandsWeighByTheirWorkNotByTheirNumber() {
    // Reference work: one frame of 1 GFLOP. Thin bands of 1 MFLOP whose time is nearly all
    // overhead the worker did not report scatter far; fifty of them are 5% of a frame.
    SpeedEstimator byWork = new SpeedEstimator(clock::get, 10_000, 30_000, 1e9);
    SpeedEstimator byTile = new SpeedEstimator(clock::get, 10_000, 30_000);
    for (SpeedEstimator e : List.of(byWork, byTile)) {
      e.observe(telemetry(1.0, 2, 1));
      for (int i = 0; i < 50; i++) {
        e.record(
            "pi", 500_000L, 9_000, 1, 4_000, 1_000, 12_000, 9_000); // 7 ms for 1 MFLOP: 7 s/GFLOP
      }
    }
    double weighted = byWork.estimate("pi").orElseThrow().secondsPerGflop();
    assertTrue(weighted < 1.6, "fifty thin bands moved the work-weighted estimate to " + weighted);
    assertTrue(
        byTile.estimate("pi").orElseThrow().secondsPerGflop() > 5, "per tile they would dominate");
    // A whole frame's worth of slower work still shows at once.
    for (int i = 0; i < 3; i++) {
      byWork.record("pi", 500_000_000L, 3_002_000, 1, 400_000, 100_000, 3_050_000, 3_002_000);
    }
    assertTrue(byWork.estimate("pi").orElseThrow().secondsPerGflop() > 2.5);
  }
}
