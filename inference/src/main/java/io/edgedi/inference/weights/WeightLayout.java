package io.edgedi.inference.weights;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors a model's weight file must hold, by name, with their shapes. Conv kernels are HWIO
 * (TensorFlow's layout); BatchNorm is stored as trained (gamma, beta, moving mean and variance) and
 * folded only at load, so training and pruning keep working on the real parameters.
 */
public final class WeightLayout {
  public static final String HEAD = "head";

  private WeightLayout() {}

  public static Map<String, int[]> expected(ModelSpec model) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (Node n : model.nodes()) {
      if (n.op() instanceof Op.Conv c) {
        out.put(
            n.name() + ".kernel",
            new int[] {c.kernel(), c.kernel(), c.inChannels(), c.outChannels()});
        out.put(n.name() + ".bias", new int[] {c.outChannels()});
        if (c.batchNorm()) {
          for (String p : new String[] {"bn_gamma", "bn_beta", "bn_mean", "bn_variance"}) {
            out.put(n.name() + "." + p, new int[] {c.outChannels()});
          }
        }
      } else if (n.op() instanceof Op.ChannelAttention a) {
        int source = model.shape(model.gateSource(n.id())).channels();
        out.put(n.name() + ".dense_kernel", new int[] {source, a.channels()});
        out.put(n.name() + ".dense_bias", new int[] {a.channels()});
      }
    }
    int features = model.shape(model.lastNode()).channels();
    out.put(HEAD + ".kernel", new int[] {features, model.classes()});
    out.put(HEAD + ".bias", new int[] {model.classes()});
    return out;
  }
}
