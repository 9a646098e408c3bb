package io.edgedi.cli.emulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchMathTest {
  @Test
  void speedupBoundEfficiencyOnMadeUpNumbers() {
    // Worker speeds 2, 1, 1, 0.5 GFLOP/s (0.5, 1, 1, 2 s/GFLOP): bound (2+1+1+0.5)/2 = 2.25.
    double bound = BenchMath.bound(List.of(0.5, 1.0, 1.0, 2.0));
    assertEquals(2.25, bound, 1e-12);
    double speedup = BenchMath.speedup(300, 200);
    assertEquals(1.5, speedup, 1e-12);
    assertEquals(1.5 / 2.25, BenchMath.efficiency(speedup, bound), 1e-12);
    assertEquals(0, BenchMath.efficiency(1, 0));
    assertEquals(0, BenchMath.speedup(300, 0));
  }

  @Test
  void boundIgnoresWorkersWithoutASpeedAndIsOneForOneWorker() {
    assertEquals(1.0, BenchMath.bound(List.of(0.25)), 1e-12);
    assertEquals(2.0, BenchMath.bound(List.of(0.25, 0.0, 0.25)), 1e-12);
    assertEquals(0, BenchMath.bound(List.of()));
  }

  @Test
  void capacityAddsEveryWorkersFramesPerSecond() {
    // 100 ms, 200 ms, 400 ms alone: 10 + 5 + 2.5 frames/s.
    assertEquals(17.5, BenchMath.capacity(List.of(100.0, 200.0, 400.0)), 1e-12);
    assertEquals(10, BenchMath.capacity(List.of(100.0, 0.0)), 1e-12);
  }
}
