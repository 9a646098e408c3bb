package io.edgedi.training.graph;

import io.edgedi.inference.graph.BorderPadding;
import io.edgedi.inference.graph.GateSource;
import io.edgedi.inference.graph.NodeOps;
import io.edgedi.inference.graph.WeightSource;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.Node;
import io.edgedi.inference.model.Op;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.WeightLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One forward pass of a whole model over the trainable variables, from a batch of images to logits.
 * The nodes' ops come from {@link NodeOps}, as in the deployment runtime; here the weights are
 * variables, a channel attention computes its gate from the whole source map it holds, and every
 * edge of the map is the image border. The training pass normalizes with the batch statistics,
 * which it exposes so that the moving statistics can be kept outside TF; the inference pass
 * normalizes with the moving statistics, fed in.
 */
final class ForwardPass implements WeightSource, GateSource {
  private final Ops tf;
  private final ModelSpec model;
  private final Map<String, Variable<TFloat32>> vars;

  /** Moving BatchNorm statistics by tensor name; null for the training pass. */
  private final Map<String, Placeholder<TFloat32>> moving;

  private final List<Operand<TFloat32>> values = new ArrayList<>();
  private final List<Operand<TFloat32>> kernels = new ArrayList<>();
  private final Map<String, Operand<TFloat32>> batchMean = new LinkedHashMap<>();
  private final Map<String, Operand<TFloat32>> batchVar = new LinkedHashMap<>();
  private final Operand<TFloat32> logits;

  /** The pass that normalizes with batch statistics. */
  static ForwardPass training(
      Ops tf, ModelSpec model, Map<String, Variable<TFloat32>> vars, Operand<TFloat32> images) {
    return new ForwardPass(tf, model, vars, null, images);
  }

  /** The pass that normalizes with the fed moving statistics, as the deployed model does. */
  static ForwardPass inference(
      Ops tf,
      ModelSpec model,
      Map<String, Variable<TFloat32>> vars,
      Map<String, Placeholder<TFloat32>> moving,
      Operand<TFloat32> images) {
    return new ForwardPass(tf, model, vars, moving, images);
  }

  private ForwardPass(
      Ops tf,
      ModelSpec model,
      Map<String, Variable<TFloat32>> vars,
      Map<String, Placeholder<TFloat32>> moving,
      Operand<TFloat32> images) {
    this.tf = tf;
    this.model = model;
    this.vars = vars;
    this.moving = moving;
    NodeOps ops = new NodeOps(tf, this, this, BorderPadding.wholeMap(tf));
    values.add(images);
    for (int id = 1; id < model.size(); id++) {
      List<Operand<TFloat32>> ins = new ArrayList<>();
      for (int in : model.rowInputs(id)) {
        ins.add(values.get(in));
      }
      values.add(ops.apply(model.node(id), ins));
    }
    Operand<TFloat32> features =
        tf.math.mean(values.get(model.lastNode()), tf.constant(new int[] {1, 2}));
    Operand<TFloat32> head = decayed(vars.get(WeightLayout.HEAD + ".kernel"));
    logits = tf.nn.biasAdd(tf.linalg.matMul(features, head), vars.get(WeightLayout.HEAD + ".bias"));
  }

  Operand<TFloat32> logits() {
    return logits;
  }

  /** The kernels the pass multiplies by (convolutions, attentions, head): weight decay's terms. */
  List<Operand<TFloat32>> kernels() {
    return kernels;
  }

  /** Batch means of the training pass by BatchNorm'd conv name, in node order. */
  Map<String, Operand<TFloat32>> batchMean() {
    return batchMean;
  }

  /** Batch variances of the training pass, as {@link #batchMean()}. */
  Map<String, Operand<TFloat32>> batchVar() {
    return batchVar;
  }

  @Override
  public Operand<TFloat32> kernel(Node conv) {
    return decayed(vars.get(conv.name() + ".kernel"));
  }

  @Override
  public Operand<TFloat32> bias(Node conv) {
    return vars.get(conv.name() + ".bias");
  }

  @Override
  public Operand<TFloat32> batchNorm(Node conv, Operand<TFloat32> y) {
    String n = conv.name();
    Operand<TFloat32> mean;
    Operand<TFloat32> var;
    if (moving == null) {
      Operand<TInt32> axes = tf.constant(new int[] {0, 1, 2});
      mean = tf.math.mean(y, axes);
      var = tf.math.mean(tf.math.square(tf.math.sub(y, mean)), axes);
      batchMean.put(n, mean);
      batchVar.put(n, var);
    } else {
      mean = moving.get(n + ".bn_mean");
      var = moving.get(n + ".bn_variance");
    }
    Operand<TFloat32> scale =
        tf.math.mul(
            vars.get(n + ".bn_gamma"),
            tf.math.rsqrt(tf.math.add(var, tf.constant((float) FoldedWeights.BN_EPSILON))));
    return tf.math.add(tf.math.mul(tf.math.sub(y, mean), scale), vars.get(n + ".bn_beta"));
  }

  /** {@code sigmoid(W . mean_hw(source) + b)}, the source being the whole map in this graph. */
  @Override
  public Operand<TFloat32> gate(Node attention) {
    String n = attention.name();
    Operand<TFloat32> source = values.get(model.gateSource(attention.id()));
    Operand<TFloat32> mean = tf.math.mean(source, tf.constant(new int[] {1, 2}));
    Operand<TFloat32> k = decayed(vars.get(n + ".dense_kernel"));
    Operand<TFloat32> z = tf.nn.biasAdd(tf.linalg.matMul(mean, k), vars.get(n + ".dense_bias"));
    int channels = ((Op.ChannelAttention) attention.op()).channels();
    return tf.reshape(tf.math.sigmoid(z), tf.constant(new int[] {-1, 1, 1, channels}));
  }

  private Operand<TFloat32> decayed(Variable<TFloat32> kernel) {
    kernels.add(kernel);
    return kernel;
  }
}
