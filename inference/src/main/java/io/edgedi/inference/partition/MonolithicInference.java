package io.edgedi.inference.partition;

import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.FoldedWeights;
import java.nio.ByteBuffer;

/**
 * The whole model on one machine, through the same runtime as a partitioned run ({@link
 * PartitionPlan#monolithic}): the reference every exactness check compares with. Holds a TF
 * session: close it.
 */
public final class MonolithicInference implements AutoCloseable {
  private final SliceRunner runner;
  private final PartitionedInference inference;
  private final PartitionPlan plan;

  public MonolithicInference(FoldedWeights weights) {
    this.runner = new SliceRunner(weights);
    this.inference = new PartitionedInference(runner);
    this.plan = PartitionPlan.monolithic(weights.model());
  }

  public PartitionedInference.Output run(FeatureMap image) {
    return inference.run(plan, image);
  }

  /** An 8-bit gray image, row-major, as frames carry it. */
  public PartitionedInference.Output runGray(int height, int width, ByteBuffer pixels) {
    return run(FeatureMap.fromGray(height, width, pixels.duplicate()));
  }

  @Override
  public void close() {
    runner.close();
  }
}
