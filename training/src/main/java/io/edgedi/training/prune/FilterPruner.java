package io.edgedi.training.prune;

import io.edgedi.inference.model.ModelCost;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.ModelWeights;
import io.edgedi.inference.weights.NamedTensor;
import io.edgedi.inference.weights.WeightLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * l1-norm filter pruning (Li et al., "Pruning Filters for Efficient ConvNets"): in every prunable
 * conv, layer by layer, the output filters with the smallest l1 norm are dropped, and everything
 * that reads those channels shrinks with them so the spec stays valid:
 *
 * <ul>
 *   <li>a conv reading the channels loses the matching input slices of its kernel;
 *   <li>max pooling passes channels through; a channel attention (SCAR) follows the 3x3 conv in
 *       front of it: its dense kernel loses the matching columns, its bias the entries (and the
 *       matching rows when it gates from its own input);
 *   <li>an attention gated from a separate source (scarp) loses the dense kernel rows of the
 *       source's pruned channels;
 *   <li>the head loses the matching rows of its kernel when the last node shrinks.
 * </ul>
 *
 * Convs whose output reaches an Add (through pooling/attention or directly) are not pruned: both
 * branches of a residual join must keep the same channels. The norm is taken of the kernel as it
 * runs (BatchNorm folded), so a filter that BatchNorm scales down counts as small.
 */
public final class FilterPruner {
  private FilterPruner() {}

  /** Conv nodes that may lose output filters. */
  public static List<Integer> prunable(ModelSpec model) {
    List<Integer> out = new ArrayList<>();
    for (Node n : model.nodes()) {
      if (n.op() instanceof Op.Conv && !reachesAdd(model, n.id())) {
        out.add(n.id());
      }
    }
    return out;
  }

  private static boolean reachesAdd(ModelSpec model, int node) {
    Deque<Integer> todo = new ArrayDeque<>(model.consumers(node));
    while (!todo.isEmpty()) {
      Op op = model.node(todo.pop()).op();
      if (op instanceof Op.Add) {
        return true;
      }
    }
    for (int c : passThroughClosure(model, node)) {
      for (int d : model.consumers(c)) {
        if (model.node(d).op() instanceof Op.Add) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Nodes that carry {@code node}'s channels unchanged (pooling, attention), transitively. An
   * attention carries only its first input's channels, not those of a separate gate source.
   */
  private static List<Integer> passThroughClosure(ModelSpec model, int node) {
    List<Integer> out = new ArrayList<>();
    Deque<Integer> todo = new ArrayDeque<>();
    todo.push(node);
    while (!todo.isEmpty()) {
      int carrier = todo.pop();
      for (int c : model.consumers(carrier)) {
        Op op = model.node(c).op();
        boolean carries =
            op instanceof Op.MaxPool
                || (op instanceof Op.ChannelAttention && model.node(c).inputs().get(0) == carrier);
        if (carries) {
          out.add(c);
          todo.push(c);
        }
      }
    }
    return out;
  }

  /** Prunes the same fraction of filters (rounded, at least one kept) from every prunable conv. */
  public static ModelWeights pruneFraction(ModelWeights weights, double fraction) {
    if (fraction < 0 || fraction >= 1) {
      throw new IllegalArgumentException("prune fraction must be in [0, 1): " + fraction);
    }
    Map<Integer, Integer> keep = new LinkedHashMap<>();
    for (int id : prunable(weights.model())) {
      int c = ((Op.Conv) weights.model().node(id).op()).outChannels();
      keep.put(id, Math.max(1, (int) Math.round(c * (1 - fraction))));
    }
    return prune(weights, keep);
  }

  /**
   * The smallest uniform fraction whose pruned model has at most {@code ratio} of the original MACs
   * (bisection on the fraction; MACs fall monotonically as it grows, up to rounding).
   */
  public static double fractionForMacsRatio(ModelSpec model, double ratio) {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("target MACs ratio must be in (0, 1]: " + ratio);
    }
    long base = ModelCost.macs(model);
    double lo = 0;
    double hi = 0.99;
    if (ModelCost.macs(prunedSpec(model, hi)) > ratio * base) {
      throw new IllegalArgumentException(
          "cannot reach "
              + ratio
              + " of the MACs of "
              + model.name()
              + " by filter pruning (convs feeding residual adds are kept whole)");
    }
    if (ModelCost.macs(model) <= ratio * base) {
      return 0;
    }
    for (int i = 0; i < 40; i++) {
      double mid = (lo + hi) / 2;
      if (ModelCost.macs(prunedSpec(model, mid)) <= ratio * base) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /** The spec that {@link #pruneFraction} would produce (no weights needed). */
  public static ModelSpec prunedSpec(ModelSpec model, double fraction) {
    Map<Integer, Integer> keep = new LinkedHashMap<>();
    for (int id : prunable(model)) {
      int c = ((Op.Conv) model.node(id).op()).outChannels();
      keep.put(id, Math.max(1, (int) Math.round(c * (1 - fraction))));
    }
    List<Node> nodes = new ArrayList<>(model.nodes());
    for (Map.Entry<Integer, Integer> e : keep.entrySet()) {
      ModelSpec current =
          new ModelSpec(
              model.name(), model.inputHeight(), model.inputWidth(), model.classNames(), nodes);
      int[] kept = new int[e.getValue()];
      for (int i = 0; i < kept.length; i++) {
        kept[i] = i;
      }
      nodes = shrinkSpec(current, e.getKey(), kept);
    }
    return new ModelSpec(
        model.name(), model.inputHeight(), model.inputWidth(), model.classNames(), nodes);
  }

  /**
   * Keeps {@code keep.get(node)} filters (the largest by l1 norm) in each listed conv; the others
   * are removed together with everything that reads them.
   */
  public static ModelWeights prune(ModelWeights weights, Map<Integer, Integer> keep) {
    ModelSpec model = weights.model();
    Map<String, float[]> tensors = new LinkedHashMap<>();
    for (NamedTensor t : weights.tensors()) {
      tensors.put(t.name(), t.values());
    }
    List<Integer> allowed = prunable(model);
    for (Map.Entry<Integer, Integer> e : keep.entrySet()) {
      int id = e.getKey();
      if (!allowed.contains(id)) {
        throw new IllegalArgumentException(
            model.node(id).name()
                + " cannot be pruned (not a conv, "
                + "or its output reaches a residual add)");
      }
      Node node = model.node(id);
      Op.Conv conv = (Op.Conv) node.op();
      int count = e.getValue();
      if (count < 1 || count > conv.outChannels()) {
        throw new IllegalArgumentException(
            node.name() + ": cannot keep " + count + " of " + conv.outChannels() + " filters");
      }
      if (count == conv.outChannels()) {
        continue;
      }
      int[] kept = largestFilters(model, node, conv, tensors, count);
      applyToTensors(model, id, kept, tensors);
      model =
          new ModelSpec(
              model.name(),
              model.inputHeight(),
              model.inputWidth(),
              model.classNames(),
              shrinkSpec(model, id, kept));
    }
    List<NamedTensor> out = new ArrayList<>();
    for (Map.Entry<String, int[]> e : WeightLayout.expected(model).entrySet()) {
      out.add(new NamedTensor(e.getKey(), e.getValue(), tensors.get(e.getKey())));
    }
    Map<String, String> meta = new LinkedHashMap<>(weights.metadata());
    meta.put(
        "pruned",
        "l1-norm filters; MACs "
            + ModelCost.macs(model)
            + " of "
            + ModelCost.macs(weights.model()));
    return new ModelWeights(model, out, meta);
  }

  /**
   * Indices (ascending) of the {@code count} filters with the largest l1 norm, BatchNorm folded.
   */
  static int[] largestFilters(
      ModelSpec model, Node node, Op.Conv c, Map<String, float[]> t, int count) {
    int out = c.outChannels();
    float[] k = t.get(node.name() + ".kernel");
    double[] norm = new double[out];
    for (int i = 0; i < k.length; i++) {
      norm[i % out] += Math.abs(k[i]);
    }
    if (c.batchNorm()) {
      float[] g = t.get(node.name() + ".bn_gamma");
      float[] v = t.get(node.name() + ".bn_variance");
      for (int o = 0; o < out; o++) {
        norm[o] *= Math.abs(g[o]) / Math.sqrt(v[o] + FoldedWeights.BN_EPSILON);
      }
    }
    Integer[] order = new Integer[out];
    for (int o = 0; o < out; o++) {
      order[o] = o;
    }
    Arrays.sort(
        order, Comparator.comparingDouble((Integer o) -> -norm[o]).thenComparingInt(o -> o));
    int[] kept = new int[count];
    for (int i = 0; i < count; i++) {
      kept[i] = order[i];
    }
    Arrays.sort(kept);
    return kept;
  }

  private static void applyToTensors(ModelSpec model, int id, int[] kept, Map<String, float[]> t) {
    Node node = model.node(id);
    Op.Conv c = (Op.Conv) node.op();
    String n = node.name();
    t.put(n + ".kernel", selectLast(t.get(n + ".kernel"), c.outChannels(), kept));
    for (String p : new String[] {"bias", "bn_gamma", "bn_beta", "bn_mean", "bn_variance"}) {
      if (t.containsKey(n + "." + p)) {
        t.put(n + "." + p, select(t.get(n + "." + p), kept));
      }
    }
    for (int reader : readers(model, id)) {
      Node r = model.node(reader);
      if (r.op() instanceof Op.Conv rc) {
        t.put(
            r.name() + ".kernel",
            selectInput(
                t.get(r.name() + ".kernel"),
                rc.kernel() * rc.kernel(),
                rc.inChannels(),
                rc.outChannels(),
                kept));
      } else if (r.op() instanceof Op.ChannelAttention a) {
        String dense = r.name() + ".dense_kernel";
        int source = model.shape(model.gateSource(reader)).channels();
        boolean carriesX = isCarrier(model, id, r.inputs().get(0));
        boolean carriesSource = isCarrier(model, id, model.gateSource(reader));
        if (carriesSource) {
          t.put(dense, selectInput(t.get(dense), 1, source, a.channels(), kept));
        }
        if (carriesX) {
          t.put(dense, selectLast(t.get(dense), a.channels(), kept));
          t.put(r.name() + ".dense_bias", select(t.get(r.name() + ".dense_bias"), kept));
        }
      }
    }
    if (carriesToHead(model, id)) {
      t.put(
          WeightLayout.HEAD + ".kernel",
          selectInput(
              t.get(WeightLayout.HEAD + ".kernel"),
              1,
              model.shape(model.lastNode()).channels(),
              model.classes(),
              kept));
    }
  }

  /**
   * True if {@code node} holds conv {@code id}'s channels (itself, or through pooling/attention).
   */
  private static boolean isCarrier(ModelSpec model, int id, int node) {
    return node == id || passThroughClosure(model, id).contains(node);
  }

  /**
   * Nodes whose weights index the channels: convs reading them (directly or through pooling),
   * attentions carrying them, and attentions gated from a map that carries them.
   */
  private static List<Integer> readers(ModelSpec model, int id) {
    List<Integer> out = new ArrayList<>();
    List<Integer> carriers = new ArrayList<>(List.of(id));
    carriers.addAll(passThroughClosure(model, id));
    for (int carrier : carriers) {
      Op op = model.node(carrier).op();
      if (op instanceof Op.ChannelAttention && !out.contains(carrier)) {
        out.add(carrier);
      }
      for (int d : model.consumers(carrier)) {
        Op dop = model.node(d).op();
        boolean gatedByCarrier =
            dop instanceof Op.ChannelAttention && model.gateSource(d) == carrier;
        if ((dop instanceof Op.Conv || gatedByCarrier) && !out.contains(d)) {
          out.add(d);
        }
      }
    }
    return out;
  }

  private static boolean carriesToHead(ModelSpec model, int id) {
    return id == model.lastNode() || passThroughClosure(model, id).contains(model.lastNode());
  }

  private static List<Node> shrinkSpec(ModelSpec model, int id, int[] kept) {
    List<Node> nodes = new ArrayList<>(model.nodes());
    int k = kept.length;
    Op.Conv c = (Op.Conv) model.node(id).op();
    nodes.set(
        id,
        with(
            model.node(id),
            new Op.Conv(
                c.kernel(), c.stride(), c.pad(), c.inChannels(), k, c.batchNorm(), c.relu())));
    for (int reader : readers(model, id)) {
      Node r = model.node(reader);
      if (r.op() instanceof Op.Conv rc) {
        nodes.set(
            reader,
            with(
                r,
                new Op.Conv(
                    rc.kernel(),
                    rc.stride(),
                    rc.pad(),
                    k,
                    rc.outChannels(),
                    rc.batchNorm(),
                    rc.relu())));
      } else if (r.op() instanceof Op.ChannelAttention && isCarrier(model, id, r.inputs().get(0))) {
        nodes.set(reader, with(r, new Op.ChannelAttention(k)));
      }
    }
    return nodes;
  }

  private static Node with(Node n, Op op) {
    return new Node(n.id(), n.name(), op, n.inputs());
  }

  private static float[] select(float[] v, int[] kept) {
    float[] out = new float[kept.length];
    for (int i = 0; i < kept.length; i++) {
      out[i] = v[kept[i]];
    }
    return out;
  }

  /** Keeps entries {@code kept} of the fastest-moving axis (length {@code last}). */
  private static float[] selectLast(float[] v, int last, int[] kept) {
    int outer = v.length / last;
    float[] out = new float[outer * kept.length];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < kept.length; i++) {
        out[o * kept.length + i] = v[o * last + kept[i]];
      }
    }
    return out;
  }

  /** Keeps slices {@code kept} of the second-fastest axis: layout [spatial][in][out]. */
  private static float[] selectInput(float[] v, int spatial, int in, int out, int[] kept) {
    float[] r = new float[spatial * kept.length * out];
    for (int s = 0; s < spatial; s++) {
      for (int i = 0; i < kept.length; i++) {
        System.arraycopy(v, (s * in + kept[i]) * out, r, (s * kept.length + i) * out, out);
      }
    }
    return r;
  }
}
