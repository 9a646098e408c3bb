package io.edgedi.camera.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DegradationTest {
  private static final int N = 200;
  private final byte[] frame =
      new SyntheticDefectGenerator().generate(DefectClass.SCRATCHES, 42, N, N).pixels();

  @Test
  void everyKindChangesTheFrameAtItsRealisticLevelAndIsSeeded() {
    for (CaptureKind k : CaptureKind.values()) {
      Degradation d = Degradation.of(k, k.realistic());
      byte[] a = d.apply(frame, N, N, 7);
      byte[] b = d.apply(frame, N, N, 7);
      assertArrayEquals(a, b, k.id() + " must depend only on the seed");
      // Dust touches a few specks only; everything else changes the whole frame.
      double floor = k == CaptureKind.DUST ? 0.05 : 0.3;
      assertTrue(
          meanAbsDiff(a, frame) > floor,
          k.id() + " left the frame almost unchanged: " + meanAbsDiff(a, frame));
    }
  }

  @Test
  void strongerLevelsDegradeMore() {
    for (CaptureKind k :
        List.of(
            CaptureKind.NOISE,
            CaptureKind.DEFOCUS,
            CaptureKind.MOTION,
            CaptureKind.JPEG,
            CaptureKind.H264,
            CaptureKind.VIGNETTE,
            CaptureKind.CONTRAST)) {
      double mild =
          meanAbsDiff(
              Degradation.of(k, k.identity() + (k.realistic() - k.identity()) / 3)
                  .apply(frame, N, N, 1),
              frame);
      double hard = meanAbsDiff(Degradation.of(k, k.trainMax()).apply(frame, N, N, 1), frame);
      assertTrue(
          hard > mild, k.id() + ": " + mild + " at a mild level, " + hard + " at the hardest");
    }
  }

  @Test
  void blurRemovesHighFrequenciesAndKeepsTheMean() {
    byte[] blurred = Degradation.parse("defocus:2").apply(frame, N, N, 1);
    assertTrue(laplacianEnergy(blurred) < 0.5 * laplacianEnergy(frame));
    assertEquals(mean(frame), mean(blurred), 1.0);
  }

  @Test
  void gaussianNoiseHasTheStatedSigma() {
    byte[] flat = new byte[N * N];
    java.util.Arrays.fill(flat, (byte) 128);
    byte[] noisy = Degradation.parse("noise:5").apply(flat, N, N, 3);
    double var = 0;
    for (byte b : noisy) {
      var += Math.pow((b & 0xff) - 128, 2);
    }
    assertEquals(5.0, Math.sqrt(var / noisy.length), 0.15);
  }

  @Test
  void shotNoiseGrowsWithBrightness() {
    byte[] dark = new byte[N * N];
    byte[] bright = new byte[N * N];
    java.util.Arrays.fill(dark, (byte) 32);
    java.util.Arrays.fill(bright, (byte) 200);
    Degradation d = Degradation.parse("shot:6");
    double sd = std(d.apply(dark, N, N, 1));
    double sb = std(d.apply(bright, N, N, 1));
    assertEquals(6 * Math.sqrt(32 / 127.5), sd, 0.4);
    assertEquals(6 * Math.sqrt(200 / 127.5), sb, 0.4);
  }

  @Test
  void h264AndJpegRoundTripsStayCloseToTheFrame() {
    for (String spec : List.of("jpeg:30", "h264:32")) {
      byte[] out = Degradation.parse(spec).apply(frame, N, N, 1);
      double diff = meanAbsDiff(out, frame);
      assertTrue(diff > 0.3 && diff < 15, spec + " mean abs difference " + diff);
    }
  }

  @Test
  void parsesChainsListsAndRealisticSet() {
    Degradation d = Degradation.parse("defocus+jpeg:40");
    assertEquals(2, d.steps().size());
    assertEquals(1.5, d.steps().get(0).level());
    assertEquals("defocus:1.5+jpeg:40", d.toString());
    assertTrue(Degradation.parse("clean").isNone());
    List<Degradation> all = Degradation.parseList("clean,realistic");
    assertEquals(1 + CaptureKind.values().length + 1, all.size());
    assertThrows(IllegalArgumentException.class, () -> Degradation.parse("fog:3"));
    assertThrows(IllegalArgumentException.class, () -> Degradation.parse("noise:abc"));
    assertThrows(IllegalArgumentException.class, () -> Degradation.parse("noise:NaN"));
    assertFalse(d.isNone());
  }

  static double meanAbsDiff(byte[] a, byte[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return s / a.length;
  }

  static double mean(byte[] a) {
    double s = 0;
    for (byte b : a) {
      s += b & 0xff;
    }
    return s / a.length;
  }

  static double std(byte[] a) {
    double m = mean(a);
    double s = 0;
    for (byte b : a) {
      s += Math.pow((b & 0xff) - m, 2);
    }
    return Math.sqrt(s / a.length);
  }

  static double laplacianEnergy(byte[] a) {
    double s = 0;
    for (int y = 1; y < N - 1; y++) {
      for (int x = 1; x < N - 1; x++) {
        int c = a[y * N + x] & 0xff;
        int l =
            4 * c
                - (a[(y - 1) * N + x] & 0xff)
                - (a[(y + 1) * N + x] & 0xff)
                - (a[y * N + x - 1] & 0xff)
                - (a[y * N + x + 1] & 0xff);
        s += (double) l * l;
      }
    }
    return s;
  }
}
