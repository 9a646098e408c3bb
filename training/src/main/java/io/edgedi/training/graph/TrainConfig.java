package io.edgedi.training.graph;

/**
 * Settings of one training run.
 *
 * @param epochs total epochs (a resumed run continues up to this count)
 * @param batchSize images per Adam step
 * @param learningRate peak learning rate (short linear warm-up, then cosine decay to 1% of it)
 * @param weightDecay L2 factor on conv, attention and head kernels (added to the loss)
 * @param bnMomentum weight of the old BatchNorm moving statistics per step
 * @param seed shuffling and augmentation seed
 * @param augment flips, quarter turns, brightness/contrast
 * @param captureAugment probability that a training image also goes through one to three capture
 *     effects (noise, blur, compression, lighting, ...) at random levels; 0 for none
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    float learningRate,
    float weightDecay,
    float bnMomentum,
    long seed,
    boolean augment,
    double captureAugment) {
  public TrainConfig {
    if (!(captureAugment >= 0 && captureAugment <= 1)) {
      throw new IllegalArgumentException(
          "captureAugment must be a probability, was " + captureAugment);
    }
    if (epochs < 1
        || batchSize < 1
        || !(learningRate > 0)
        || weightDecay < 0
        || bnMomentum < 0
        || bnMomentum >= 1) {
      throw new IllegalArgumentException(
          "bad training settings: "
              + epochs
              + " epochs, batch "
              + batchSize
              + ", lr "
              + learningRate
              + ", decay "
              + weightDecay
              + ", bn momentum "
              + bnMomentum);
    }
  }

  public static TrainConfig defaults(int epochs, long seed) {
    return new TrainConfig(epochs, 16, 2e-3f, 5e-5f, 0.9f, seed, true, 0);
  }

  /** Learning rate at global step {@code step} of {@code total}. */
  public float learningRateAt(long step, long total) {
    long warmup = Math.min(50, Math.max(1, total / 20));
    if (step < warmup) {
      return learningRate * (step + 1) / warmup;
    }
    double t = Math.min(1.0, (double) (step - warmup) / Math.max(1, total - warmup));
    return (float) (learningRate * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * t))));
  }
}
