package io.edgedi.training.eval;

import io.edgedi.camera.capture.CaptureKind;
import io.edgedi.camera.capture.Degradation;
import io.edgedi.inference.trust.InputStats;
import io.edgedi.inference.trust.TrustPolicy;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.training.data.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Fits what a weight file's {@link TrustPolicy} needs from held-out images: the softmax temperature
 * (over clean and degraded copies, so the confidence means the same under the conditions the line
 * delivers) and the sharpness floor below which a frame is blurrier than anything trained on.
 */
public final class Calibrator {
  /** Share of the most-blurred trained images allowed under the floor. */
  static final double FLOOR_PERCENTILE = 0.01;

  private Calibrator() {}

  /**
   * @param temperature fitted on every image and condition
   * @param crossFitEce mean ECE of two halves (alternate images), each scored with the temperature
   *     fitted on the other half: what to expect on images the fit never saw
   */
  public record Fit(
      double temperature,
      double sharpnessFloor,
      double contrastFloor,
      double eceUncalibrated,
      double eceCalibrated,
      double crossFitEce,
      double crossFitTemperatureA,
      double crossFitTemperatureB,
      int predictions,
      List<String> conditions) {}

  public static Fit fit(
      FoldedWeights weights,
      List<Sample> samples,
      List<Degradation> conditions,
      long seed,
      Consumer<String> progress) {
    TrustPolicy raw = TrustPolicy.of(Map.of());
    List<float[]> logits = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Degradation d : conditions) {
      progress.accept(d.toString());
      Predictions p = Evaluator.predict(weights, samples, d, seed, raw, null);
      logits.addAll(Arrays.asList(p.logits()));
      for (int l : p.labels()) {
        labels.add(l);
      }
      names.add(d.toString());
    }
    float[][] all = logits.toArray(new float[0][]);
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    double t = Calibration.fitTemperature(all, y);
    float[][][] halves = new float[2][][];
    int[][] halfLabels = new int[2][];
    for (int h = 0; h < 2; h++) {
      List<float[]> hl = new ArrayList<>();
      List<Integer> hy = new ArrayList<>();
      for (int i = h; i < all.length; i += 2) {
        hl.add(all[i]);
        hy.add(y[i]);
      }
      halves[h] = hl.toArray(new float[0][]);
      halfLabels[h] = hy.stream().mapToInt(Integer::intValue).toArray();
    }
    double ta = Calibration.fitTemperature(halves[0], halfLabels[0]);
    double tb = Calibration.fitTemperature(halves[1], halfLabels[1]);
    double cross =
        (Calibration.expectedCalibrationError(halves[1], halfLabels[1], ta)
                + Calibration.expectedCalibrationError(halves[0], halfLabels[0], tb))
            / 2;
    progress.accept("sharpness floor");
    return new Fit(
        t,
        sharpnessFloor(samples, seed),
        contrastFloor(samples, seed),
        Calibration.expectedCalibrationError(all, y, 1.0),
        Calibration.expectedCalibrationError(all, y, t),
        cross,
        ta,
        tb,
        all.length,
        names);
  }

  /**
   * The {@link #FLOOR_PERCENTILE} quantile of the pixel spread over the images flattened as far as
   * training went (contrast loss at its training maximum).
   */
  static double contrastFloor(List<Sample> samples, long seed) {
    return floor(samples, seed, List.of(CaptureKind.CONTRAST), InputStats::std);
  }

  /**
   * The {@link #FLOOR_PERCENTILE} quantile of sharpness over the images blurred as far as training
   * went (defocus and motion at their training maximum).
   */
  static double sharpnessFloor(List<Sample> samples, long seed) {
    return floor(
        samples, seed, List.of(CaptureKind.DEFOCUS, CaptureKind.MOTION), InputStats::sharpness);
  }

  /**
   * The {@link #FLOOR_PERCENTILE} quantile of {@code measure} over every sample at each kind's
   * training maximum.
   */
  private static double floor(
      List<Sample> samples,
      long seed,
      List<CaptureKind> kinds,
      ToDoubleFunction<InputStats> measure) {
    List<Double> values = new ArrayList<>();
    for (CaptureKind k : kinds) {
      Degradation d = Degradation.of(k, k.trainMax());
      for (Sample s : samples) {
        byte[] px = d.apply(s.pixels(), s.height(), s.width(), seed ^ s.origin().hashCode());
        values.add(measure.applyAsDouble(InputStats.of(px, s.height(), s.width())));
      }
    }
    values.sort(null);
    return values.get((int) Math.floor(FLOOR_PERCENTILE * (values.size() - 1)));
  }
}
