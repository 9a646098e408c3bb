package io.edgedi.inference.trust;

/** Why a classification should go to a person instead of being acted on. */
public enum DistrustReason {
  /** Calibrated confidence of the winning class below the policy's minimum. */
  LOW_CONFIDENCE,
  /**
   * Flatter than any image the model was trained on: lens cap, light off, haze, nothing in view.
   */
  BLANK,
  /** Too many pixels clipped at black or white: exposure far off. */
  SATURATED,
  /** Sharper than nothing the model was trained on: focus lost beyond the trained blur. */
  OUT_OF_FOCUS
}
