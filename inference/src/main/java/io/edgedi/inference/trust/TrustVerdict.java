package io.edgedi.inference.trust;

import java.util.List;

/**
 * A classification's calibrated confidence and whether MES may act on it.
 *
 * @param scores temperature-scaled softmax of every class
 * @param confidence the winning class's calibrated probability
 * @param reasons empty when trusted
 */
public record TrustVerdict(
    float[] scores, float confidence, List<DistrustReason> reasons, InputStats input) {
  public TrustVerdict {
    reasons = List.copyOf(reasons);
  }

  public boolean trusted() {
    return reasons.isEmpty();
  }
}
