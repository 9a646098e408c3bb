package io.edgedi.cli.emulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.edgedi.planner.aggregate.ReduceRound;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReduceStatsTest {
  @Test
  void summarisesOnlyTheSplitFrames() {
    List<List<ReduceRound>> frames =
        List.of(
            List.of(
                new ReduceRound(10_000, 4_000),
                new ReduceRound(12_000, 6_000)), // 6 + 6 ms beyond computing
            List.of(), // ran on one worker: no reduce messages
            List.of(new ReduceRound(8_000, 5_000), new ReduceRound(9_000, 9_500))); // 3 + 0 ms
    Map<String, Object> s = ReduceStats.summary(frames);
    assertEquals(2, s.get("splitFramesWithReduces"));
    assertEquals(2.0, s.get("roundsPerSplitFrame"));
    // Nearest-rank medians: per frame beyond computing {12, 3} -> 3; rounds {8, 9, 10, 12} -> 9;
    // slowest bands {4, 5, 6, 9.5} -> 5.
    assertEquals(3.0, s.get("overheadPerSplitFrameP50Ms"));
    assertEquals(9.0, s.get("roundP50Ms"));
    assertEquals(5.0, s.get("slowestBandComputeP50Ms"));
  }

  @Test
  void noSplitFrameNoRoundStatistics() {
    Map<String, Object> s = ReduceStats.summary(List.of(List.of(), List.of()));
    assertEquals(0, s.get("splitFramesWithReduces"));
    assertFalse(s.containsKey("roundP50Ms"));
  }
}
