package io.edgedi.inference.geometry;

import io.edgedi.inference.model.ModelSpec;

/**
 * A run of nodes {@code [from, to)} fused on the workers: each worker gets its band of the stage
 * input (the output of node {@code from - 1}) plus halo, runs every node locally and returns its
 * band of node {@code to - 1}. Both ends must be cut points of the model.
 */
public record Stage(int from, int to) {
  public Stage {
    if (from < 1 || to <= from) {
      throw new IllegalArgumentException("bad stage [" + from + ", " + to + ")");
    }
  }

  public int inputNode() {
    return from - 1;
  }

  public int outputNode() {
    return to - 1;
  }

  public void checkAgainst(ModelSpec model) {
    if (to > model.size() || !model.isCut(from) || !model.isCut(to)) {
      throw new IllegalArgumentException(
          "stage "
              + this
              + " of "
              + model.name()
              + " does not start and end at cut points "
              + model.cutPoints());
    }
  }

  @Override
  public String toString() {
    return "[" + from + "," + to + ")";
  }
}
