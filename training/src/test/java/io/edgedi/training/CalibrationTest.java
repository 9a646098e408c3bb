package io.edgedi.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.training.eval.Calibration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {
  /**
   * Labels drawn from softmax(z / 2) make logits z overconfident by exactly a factor 2: the fit
   * must find T close to 2, and the ECE must fall when it is applied.
   */
  @Test
  void recoversTheTemperatureThatGeneratedTheLabels() {
    SplittableRandom rnd = new SplittableRandom(3);
    int n = 20_000;
    int classes = 6;
    float[][] logits = new float[n][classes];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      double[] p = new double[classes];
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        logits[i][c] = (float) (rnd.nextDouble() * 8);
        p[c] = Math.exp(logits[i][c] / 2.0);
        sum += p[c];
      }
      double u = rnd.nextDouble() * sum;
      int y = 0;
      for (double acc = p[0]; acc < u && y < classes - 1; acc += p[++y]) {
        // walk the cumulative distribution
      }
      labels[i] = y;
    }
    double t = Calibration.fitTemperature(logits, labels);
    assertEquals(2.0, t, 0.1);
    double before = Calibration.expectedCalibrationError(logits, labels, 1.0);
    double after = Calibration.expectedCalibrationError(logits, labels, t);
    assertTrue(before > 0.1, "T=1 should be badly overconfident, ECE " + before);
    assertTrue(after < 0.02, "ECE after scaling " + after);
  }

  @Test
  void eceIsTheGapBetweenConfidenceAndAccuracy() {
    // Two predictions, both 0.9 confident (softmax of {ln 9, 0}), one right: |0.5 - 0.9| = 0.4.
    float l = (float) Math.log(9);
    float[][] logits = {{l, 0}, {l, 0}};
    assertEquals(0.4, Calibration.expectedCalibrationError(logits, new int[] {0, 1}, 1.0), 1e-6);
    assertEquals(0.1, Calibration.expectedCalibrationError(logits, new int[] {0, 0}, 1.0), 1e-6);
  }
}
