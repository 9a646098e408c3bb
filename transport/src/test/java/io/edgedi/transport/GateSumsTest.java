package io.edgedi.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GateSumsTest {

  @Test
  void doublesComeBackBitForBit() {
    SplittableRandom rnd = new SplittableRandom(5);
    double[] sums = new double[2000];
    for (int i = 0; i < sums.length; i++) {
      double magnitude = Math.pow(10, rnd.nextDouble(-25, 12));
      sums[i] = (rnd.nextBoolean() ? 1 : -1) * magnitude * (1 + rnd.nextDouble());
    }
    sums[0] = 0.0;
    sums[1] = 40000.123456789012345;
    sums[2] = Math.nextUp(1.0);
    assertArrayEquals(sums, GateSums.decode(GateSums.encode(sums)));
  }

  @Test
  void brokenListsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> GateSums.decode(List.of(1f, 2f)));
    assertThrows(FloatBytes.NonFiniteException.class, () -> GateSums.decode(List.of(1f, Float.NaN, 0f)));
  }
}
