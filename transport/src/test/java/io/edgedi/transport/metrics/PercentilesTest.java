package io.edgedi.transport.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void nearestRank() {
    List<Double> v = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0);
    assertEquals(5.0, Percentiles.of(v, 50));
    assertEquals(10.0, Percentiles.of(v, 95));
    assertEquals(1.0, Percentiles.of(v, 1));
    assertEquals(
        2.0, Percentiles.of(List.of(3.0, 1.0, 2.0, 4.0), 50), "the lower middle, a measured value");
    assertEquals(4.0, Percentiles.of(List.of(3.0, 1.0, 2.0, 4.0), 95));
    assertEquals(7.0, Percentiles.of(List.of(7.0), 95));
    assertEquals(0, Percentiles.of(List.of(), 50));
  }

  @Test
  void leavesTheCallersArrayAlone() {
    double[] v = {3, 1, 2};
    assertEquals(2.0, Percentiles.of(v, 50));
    assertArrayEquals(new double[] {3, 1, 2}, v);
  }
}
