package io.edgedi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpeedMeterTest {
  // One frame: 1 GFLOP (0.5e9 MACs); calibrated at 0.1 s/GFLOP with 2 ms per run.
  private static final long FRAME_MACS = 500_000_000L;

  @Test
  void startsAtTheCalibration() {
    assertEquals(0.1, new SpeedMeter(0.1, 2, 1.0).secondsPerGflop(), 1e-12);
  }

  @Test
  void manyTinyOverheadBoundTilesBarelyMoveIt() {
    SpeedMeter m = new SpeedMeter(0.1, 2, 1.0);
    // 200 bands of 0.1% of a frame each, 6 TF runs (5 attentions) and 12.1 ms apiece: 12 ms of
    // per-run overhead and 0.1 ms of work. With one overhead per tile each would say ~10 s/GFLOP.
    for (int i = 0; i < 200; i++) {
      m.record(FRAME_MACS / 1000, 12_100, 6);
    }
    assertEquals(0.1, m.secondsPerGflop(), 0.02);
    SpeedMeter perTile = new SpeedMeter(0.1, 2, 1.0);
    for (int i = 0; i < 200; i++) {
      perTile.record(FRAME_MACS / 1000, 12_100);
    }
    assertTrue(
        perTile.secondsPerGflop() > 1,
        "one overhead per tile overstates: " + perTile.secondsPerGflop());
  }

  @Test
  void aDeviceThreeTimesSlowerShowsWithinAFewFrames() {
    SpeedMeter m = new SpeedMeter(0.1, 2, 1.0);
    for (int i = 0; i < 4; i++) {
      m.record(FRAME_MACS, 302_000); // 0.3 s of compute + 2 ms overhead per frame
    }
    assertTrue(m.secondsPerGflop() > 0.2, "after 4 slow frames: " + m.secondsPerGflop());
    for (int i = 0; i < 30; i++) {
      m.record(FRAME_MACS / 4, 77_000); // quarter frames at the new speed
    }
    assertEquals(0.3, m.secondsPerGflop(), 0.01);
  }

  @Test
  void ignoresEmptyAndNegativeTiles() {
    SpeedMeter m = new SpeedMeter(0.1, 2, 1.0);
    m.record(0, 50_000);
    m.record(FRAME_MACS, -1);
    assertEquals(0.1, m.secondsPerGflop(), 1e-12);
  }
}
