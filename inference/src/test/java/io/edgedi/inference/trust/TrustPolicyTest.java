package io.edgedi.inference.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrustPolicyTest {
  private static final int N = 64;
  private static final float[] SURE = {0, 0, 9, 0, 0, 0};
  private static final float[] UNSURE = {1, 0.9f, 1.1f, 0, 0, 0};

  private static byte[] texture(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] px = new byte[N * N];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (70 + rnd.nextInt(100));
    }
    return px;
  }

  /** A 5x5 box blur, the cheapest stand-in for a lost focus. */
  private static byte[] blurred(byte[] px) {
    byte[] out = new byte[px.length];
    for (int y = 0; y < N; y++) {
      for (int x = 0; x < N; x++) {
        int s = 0;
        int n = 0;
        for (int dy = -2; dy <= 2; dy++) {
          for (int dx = -2; dx <= 2; dx++) {
            int yy = Math.min(N - 1, Math.max(0, y + dy));
            int xx = Math.min(N - 1, Math.max(0, x + dx));
            s += px[yy * N + xx] & 0xff;
            n++;
          }
        }
        out[y * N + x] = (byte) (s / n);
      }
    }
    return out;
  }

  @Test
  void sharpTexturedConfidentFrameIsTrusted() {
    TrustPolicy p = TrustPolicy.of(Map.of(TrustPolicy.SHARPNESS_FLOOR, "3"));
    TrustVerdict v = p.assess(SURE, texture(1), N, N);
    assertTrue(v.trusted(), v.reasons().toString());
    assertEquals(1.0, sum(v.scores()), 1e-5);
  }

  @Test
  void eachReasonFiresOnItsOwnKindOfFrame() {
    TrustPolicy p = TrustPolicy.of(Map.of(TrustPolicy.SHARPNESS_FLOOR, "3"));
    assertEquals(
        List.of(DistrustReason.LOW_CONFIDENCE), p.assess(UNSURE, texture(1), N, N).reasons());
    byte[] flat = new byte[N * N];
    Arrays.fill(flat, (byte) 120);
    assertEquals(List.of(DistrustReason.BLANK), p.assess(SURE, flat, N, N).reasons());
    byte[] white = texture(2);
    for (int i = 0; i < white.length; i += 3) {
      white[i] = (byte) 255;
    }
    assertEquals(List.of(DistrustReason.SATURATED), p.assess(SURE, white, N, N).reasons());
    byte[] soft = blurred(texture(3));
    assertTrue(
        InputStats.of(soft, N, N).sharpness() < 3
            && InputStats.of(texture(3), N, N).sharpness() > 10,
        "sharpness "
            + InputStats.of(soft, N, N).sharpness()
            + " blurred, "
            + InputStats.of(texture(3), N, N).sharpness());
    assertEquals(List.of(DistrustReason.OUT_OF_FOCUS), p.assess(SURE, soft, N, N).reasons());
  }

  @Test
  void sharpnessIgnoresExposure() {
    byte[] px = texture(4);
    byte[] darker = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      darker[i] = (byte) ((px[i] & 0xff) / 2);
    }
    assertEquals(InputStats.of(px, N, N).sharpness(), InputStats.of(darker, N, N).sharpness(), 0.1);
  }

  @Test
  void temperatureSoftensTheScoresAndUncalibratedFilesSkipTheFocusCheck() {
    TrustPolicy hot = TrustPolicy.of(Map.of(TrustPolicy.TEMPERATURE, "3"));
    TrustPolicy plain = TrustPolicy.of(Map.of());
    assertTrue(hot.scores(SURE)[2] < plain.scores(SURE)[2]);
    assertEquals(2, argmax(hot.scores(SURE)));
    assertTrue(
        plain.assess(SURE, blurred(texture(5)), N, N).trusted(), "no floor without calibration");
    assertThrows(
        IllegalArgumentException.class,
        () -> TrustPolicy.of(Map.of(TrustPolicy.TEMPERATURE, "hot")));
    assertThrows(
        IllegalArgumentException.class, () -> TrustPolicy.of(Map.of(TrustPolicy.TEMPERATURE, "0")));
  }

  private static double sum(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s;
  }

  private static int argmax(float[] v) {
    int b = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[b]) {
        b = i;
      }
    }
    return b;
  }
}
