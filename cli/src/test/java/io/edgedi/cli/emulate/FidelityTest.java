package io.edgedi.cli.emulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FidelityTest {
  private static final OneCoreTime.Measured REF =
      new OneCoreTime.Measured("m", 33.0, 30.0, List.of(29.0, 30.0, 31.0));

  @Test
  void aDeviceIsCalibratedAtTheReferenceOverItsShare() {
    Fidelity.Device pi4 = Fidelity.device("w1", "pi4b", 0.15, 230, REF);
    assertEquals(200, pi4.calibratedMillis(), 1e-9);
    assertEquals(220, pi4.calibratedFromWallMillis(), 1e-9);
    assertEquals(1.15, pi4.ratio(), 1e-9);
    assertTrue(pi4.within());
    assertFalse(Fidelity.device("w2", "pi3b", 0.075, 480, REF).within()); // 480 / 400 = 1.2
    assertFalse(Fidelity.device("w3", "pi3b", 0.075, 0, REF).within());
  }

  @Test
  void jsonSaysWhichDevicesPassAndKeepsProbeProblems() {
    Map<String, Object> j =
        Fidelity.json(
            REF,
            List.of(Fidelity.device("w1", "pi4b", 0.15, 190, REF)),
            List.of(
                new Fidelity.RoundTrip("w1", "pi4b", 100, 50, 1.2, 3.4, null),
                new Fidelity.RoundTrip("w2", "pi3b", 100, 0, 0, 0, "no echo")));
    assertEquals(true, j.get("allDevicesWithinTolerance"));
    List<?> trips = (List<?>) j.get("brokerRoundTrip");
    assertEquals(1.2, ((Map<?, ?>) trips.get(0)).get("p50Ms"));
    assertEquals("no echo", ((Map<?, ?>) trips.get(1)).get("problem"));
    assertFalse(((Map<?, ?>) trips.get(1)).containsKey("p50Ms"));
  }

  @Test
  void pooledReferencesTakeTheMedianOfAllRuns() {
    OneCoreTime.Measured a = new OneCoreTime.Measured("m", 10, 10, List.of(9.0, 10.0, 11.0));
    OneCoreTime.Measured b = new OneCoreTime.Measured("m", 20, 20, List.of(19.0, 20.0, 21.0, 22.0));
    assertEquals(19.0, OneCoreTime.combine(a, b).cpuMillis());
    assertEquals(7, OneCoreTime.combine(a, b).cpuRuns().size());
  }

  @Test
  void edgediSpeedupIsTheOriginalAloneOverTheCompactSplit() {
    OneCoreTime.Measured vgg16 = new OneCoreTime.Measured("vgg16", 320, 300, List.of(300.0));
    EdgediSpeedup e =
        EdgediSpeedup.of(vgg16, 0.15, "w1", "pi4b", "vgg16-scar", 200, "optimal", 125, 2.5, 2.67);
    assertEquals(2000, e.originalAloneMillis(), 1e-9);
    assertEquals(16, e.speedup(), 1e-9);
    assertEquals(10, e.compressionSpeedup(), 1e-9);
    assertEquals(25, e.bound(), 1e-9);
    assertEquals(1.6, (Double) e.json().get("partitionSpeedup"), 1e-9);
  }
}
