package io.edgedi.inference.graph;

import io.edgedi.inference.model.Node;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A channel attention's gate: fed where the whole map's mean is only known after a reduce across
 * bands, computed in the graph where the graph holds the whole map.
 */
public interface GateSource {
  /**
   * The gate, shaped {@code [batch or 1, 1, 1, channels]} to broadcast over the attention's input.
   */
  Operand<TFloat32> gate(Node attention);
}
