package io.edgedi.inference.model;

import java.util.List;

/**
 * One node of a model graph. Nodes are listed in topological order and refer to their inputs by
 * index; {@code name} is stable and names the node's weights in a weight file.
 */
public record Node(int id, String name, Op op, List<Integer> inputs) {
  public Node {
    inputs = List.copyOf(inputs);
    for (int in : inputs) {
      if (in < 0 || in >= id) {
        throw new IllegalArgumentException("node " + name + " reads node " + in + ": not earlier");
      }
    }
  }
}
