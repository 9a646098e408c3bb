package io.edgedi.inference.trust;

import io.edgedi.inference.partition.ClassifierHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a model's raw logits become a confidence MES can trust, and when a frame must not be trusted.
 * The temperature and the sharpness floor are fitted per weight file (the {@code calibrate} command
 * writes them into its metadata); the other limits are plain facts about 8-bit frames.
 *
 * @param temperature logits are divided by it before the softmax (fitted on validation data)
 * @param minConfidence calibrated confidence below this is {@link DistrustReason#LOW_CONFIDENCE}
 * @param sharpnessFloor {@link InputStats#sharpness()} below this is {@link
 *     DistrustReason#OUT_OF_FOCUS}; 0 turns the check off (a weight file that was never calibrated)
 * @param blankStd pixel standard deviation below this is {@link DistrustReason#BLANK}: at least
 *     {@value #DEFAULT_BLANK_STD}, or the fitted contrast floor (the flattest trained images)
 * @param maxClippedFraction clipped share above this is {@link DistrustReason#SATURATED}
 */
public record TrustPolicy(
    double temperature,
    double minConfidence,
    double sharpnessFloor,
    double blankStd,
    double maxClippedFraction) {
  public static final String TEMPERATURE = "calibration.temperature";
  public static final String SHARPNESS_FLOOR = "calibration.sharpnessFloor";
  public static final String MIN_CONFIDENCE = "calibration.minConfidence";
  public static final String CONTRAST_FLOOR = "calibration.contrastFloor";
  public static final double DEFAULT_MIN_CONFIDENCE = 0.6;
  public static final double DEFAULT_BLANK_STD = 2.0;
  public static final double DEFAULT_MAX_CLIPPED = 0.25;

  public TrustPolicy {
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
    }
    if (!(minConfidence >= 0 && minConfidence <= 1)) {
      throw new IllegalArgumentException("minConfidence must be in 0..1, was " + minConfidence);
    }
  }

  /**
   * The policy a weight file's metadata describes (uncalibrated files: temperature 1, no focus
   * check).
   */
  public static TrustPolicy of(Map<String, String> metadata, double minConfidence) {
    return new TrustPolicy(
        number(metadata, TEMPERATURE, 1.0),
        minConfidence,
        number(metadata, SHARPNESS_FLOOR, 0.0),
        Math.max(DEFAULT_BLANK_STD, number(metadata, CONTRAST_FLOOR, 0.0)),
        DEFAULT_MAX_CLIPPED);
  }

  /**
   * The policy of a weight file, with its own minimum confidence (default {@value
   * #DEFAULT_MIN_CONFIDENCE}).
   */
  public static TrustPolicy of(Map<String, String> metadata) {
    return of(metadata, number(metadata, MIN_CONFIDENCE, DEFAULT_MIN_CONFIDENCE));
  }

  /** The same checks for another head's logits (a window head has its own temperature). */
  public TrustPolicy withTemperature(double t) {
    return new TrustPolicy(t, minConfidence, sharpnessFloor, blankStd, maxClippedFraction);
  }

  public boolean calibrated() {
    return sharpnessFloor > 0;
  }

  /** Temperature-scaled softmax. */
  public float[] scores(float[] logits) {
    return ClassifierHead.softmax(logits, temperature);
  }

  public TrustVerdict assess(float[] logits, byte[] pixels, int height, int width) {
    float[] scores = scores(logits);
    float best = 0;
    for (float s : scores) {
      best = Math.max(best, s);
    }
    InputStats in = InputStats.of(pixels, height, width);
    List<DistrustReason> reasons = new ArrayList<>();
    if (in.std() < blankStd) {
      reasons.add(DistrustReason.BLANK);
    }
    if (in.clippedFraction() > maxClippedFraction) {
      reasons.add(DistrustReason.SATURATED);
    }
    if (sharpnessFloor > 0 && in.std() >= blankStd && in.sharpness() < sharpnessFloor) {
      reasons.add(DistrustReason.OUT_OF_FOCUS);
    }
    if (best < minConfidence) {
      reasons.add(DistrustReason.LOW_CONFIDENCE);
    }
    return new TrustVerdict(scores, best, reasons, in);
  }

  private static double number(Map<String, String> metadata, String key, double fallback) {
    String v = metadata.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "weight file metadata " + key + " is not a number: '" + v + "'");
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "temperature %.3f, min confidence %.2f, sharpness floor %.4f",
        temperature,
        minConfidence,
        sharpnessFloor);
  }
}
