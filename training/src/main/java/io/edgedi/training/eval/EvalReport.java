package io.edgedi.training.eval;

import java.util.List;
import java.util.Map;

/**
 * Accuracy and cost of one model on one image set, measured through the deployment runtime.
 *
 * @param confusion {@code confusion[true][predicted]} counts, classes in {@code classes} order
 * @param inferMillis median milliseconds per image (monolithic, after warm-up)
 */
public record EvalReport(String model, String weights, String data, int images, double accuracy,
                         Map<String, Double> perClassAccuracy, List<String> classes,
                         int[][] confusion, long params, long macs, double inferMillis,
                         int threads) {}
