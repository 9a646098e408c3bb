package io.edgedi.training.eval;

import java.util.List;
import java.util.Map;

/**
 * Accuracy, calibration and cost of one model on one image set under one capture condition,
 * measured through the deployment runtime.
 *
 * @param condition capture degradation applied to every image ("clean" for none)
 * @param confusion {@code confusion[true][predicted]} counts, classes in {@code classes} order
 * @param ece expected calibration error of the calibrated confidence
 * @param temperature the weight file's calibration temperature (1 when uncalibrated)
 * @param untrustedRate share of images the trust policy flags for a person
 * @param untrustedReasons images flagged per reason
 * @param inferMillis median milliseconds per image (monolithic, after warm-up)
 */
public record EvalReport(
    String model,
    String weights,
    String data,
    String condition,
    int images,
    double accuracy,
    Map<String, Double> perClassAccuracy,
    double minClassAccuracy,
    List<String> classes,
    int[][] confusion,
    double ece,
    double meanConfidence,
    double temperature,
    double untrustedRate,
    Map<String, Integer> untrustedReasons,
    long params,
    long macs,
    double inferMillis,
    int threads) {}
