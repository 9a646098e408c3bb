package io.edgedi.inference.weights;

import io.edgedi.inference.model.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model and all its weights, checked against each other at construction: every tensor the model
 * needs is present with the right shape, and nothing else is.
 */
public final class ModelWeights {
  private final ModelSpec model;
  private final Map<String, NamedTensor> tensors;
  private final Map<String, String> metadata;

  public ModelWeights(ModelSpec model, List<NamedTensor> tensors, Map<String, String> metadata) {
    this.model = model;
    Map<String, NamedTensor> byName = new LinkedHashMap<>();
    for (NamedTensor t : tensors) {
      if (byName.put(t.name(), t) != null) {
        throw new IllegalArgumentException(model.name() + ": tensor " + t.name() + " given twice");
      }
    }
    Map<String, int[]> expected = WeightLayout.expected(model);
    for (Map.Entry<String, int[]> e : expected.entrySet()) {
      NamedTensor t = byName.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException(model.name() + ": weights lack tensor " + e.getKey());
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new IllegalArgumentException(
            model.name()
                + ": tensor "
                + e.getKey()
                + " has shape "
                + Arrays.toString(t.shape())
                + ", model needs "
                + Arrays.toString(e.getValue()));
      }
    }
    for (String name : byName.keySet()) {
      if (!expected.containsKey(name)) {
        throw new IllegalArgumentException(
            model.name() + ": unexpected tensor " + name + " (weights of another model?)");
      }
    }
    Map<String, NamedTensor> ordered = new LinkedHashMap<>();
    for (String name : expected.keySet()) {
      ordered.put(name, byName.get(name));
    }
    this.tensors = Collections.unmodifiableMap(ordered);
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  public ModelSpec model() {
    return model;
  }

  public NamedTensor tensor(String name) {
    NamedTensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException(model.name() + " has no tensor " + name);
    }
    return t;
  }

  public float[] values(String name) {
    return tensor(name).values();
  }

  /** Tensors in the layout's order (the order of the weight file). */
  public List<NamedTensor> tensors() {
    return new ArrayList<>(tensors.values());
  }

  public Map<String, String> metadata() {
    return metadata;
  }
}
