package io.edgedi.training.eval;

import io.edgedi.inference.trust.TrustVerdict;
import java.util.List;

/**
 * What the deployed model said about every image of one evaluation set under one capture condition.
 *
 * @param condition the capture degradation applied ("clean" when none)
 * @param labels true class per image
 * @param logits raw head outputs per image
 * @param verdicts calibrated confidence and trust per image, under the weight file's policy
 * @param medianMillis median inference time per image
 */
public record Predictions(
    String condition,
    int[] labels,
    float[][] logits,
    List<TrustVerdict> verdicts,
    double medianMillis) {}
