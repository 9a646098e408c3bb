package io.edgedi.training.graph;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.inference.weights.ModelWeights;
import io.edgedi.inference.weights.NamedTensor;
import io.edgedi.inference.weights.WeightLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A TensorFlow graph that trains any {@link ModelSpec} and evaluates it exactly as the deployment
 * runtime does.
 *
 * <p>Two forward passes ({@link ForwardPass}) share the trainable variables: the training pass
 * (BatchNorm with batch statistics) and the inference pass (BatchNorm with the moving statistics,
 * fed in), which matches the folded-weights runtime up to float rounding. Both take their ops from
 * the deployment runtime's {@code NodeOps}, so the windows, paddings and op order are the deployed
 * ones.
 *
 * <p>The optimizer is Adam built from TensorFlow's own {@code ApplyAdam} kernels on gradients from
 * {@code Graph.addGradients}; the learning rate and the bias-correction powers are fed per step so
 * that schedules and resumed runs need no graph rebuild. The moving BatchNorm statistics are kept
 * in Java (updated from the batch statistics each step), so they are not TF variables and never
 * receive gradients. Not thread-safe.
 */
public final class TrainingGraph implements AutoCloseable {
  /** Adam's hyper-parameters besides the learning rate. */
  public static final float BETA1 = 0.9f;

  public static final float BETA2 = 0.999f;
  public static final float ADAM_EPSILON = 1e-7f;

  private final ModelSpec model;
  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final int h;
  private final int w;
  private final Placeholder<TFloat32> trainX;
  private final Placeholder<TInt32> trainY;
  private final Placeholder<TFloat32> evalX;
  private final Placeholder<TFloat32> learningRate;
  private final Placeholder<TFloat32> beta1Power;
  private final Placeholder<TFloat32> beta2Power;
  private final Placeholder<TFloat32> weightDecay;

  /** Trainable variables by weight-file tensor name, in layout order. */
  private final Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();

  private final Map<String, int[]> shapes = new LinkedHashMap<>();
  private final Map<String, Variable<TFloat32>> adamM = new LinkedHashMap<>();
  private final Map<String, Variable<TFloat32>> adamV = new LinkedHashMap<>();

  /** BatchNorm'd conv nodes by name: the batch statistics of the training pass. */
  private final Map<String, Operand<TFloat32>> batchMean;

  private final Map<String, Operand<TFloat32>> batchVar;

  /** Moving statistics fed to the inference pass, by tensor name ({@code x.bn_mean}...). */
  private final Map<String, Placeholder<TFloat32>> movingFeeds = new LinkedHashMap<>();

  private final Map<String, float[]> moving = new LinkedHashMap<>();
  private final Operand<TFloat32> trainLogits;
  private final Operand<TFloat32> evalLogits;
  private final Operand<TFloat32> crossEntropy;
  private final org.tensorflow.op.Op trainOp;
  private long step;

  /** Result of one training step. */
  public record StepResult(float loss, int correct) {}

  /**
   * @param initial starting weights (random or trained); BatchNorm moving statistics start from it
   * @param optimizerState Adam moments and step from a checkpoint, or null for a fresh start
   */
  public TrainingGraph(ModelWeights initial, OptimizerState optimizerState) {
    this.model = initial.model();
    this.h = model.inputHeight();
    this.w = model.inputWidth();
    this.graph = new Graph();
    try {
      tf = Ops.create(graph);
      trainX =
          tf.withName("train_x")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, 1)));
      trainY = tf.withName("train_y").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      evalX =
          tf.withName("eval_x")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, 1)));
      learningRate = scalarPlaceholder("lr");
      beta1Power = scalarPlaceholder("beta1_power");
      beta2Power = scalarPlaceholder("beta2_power");
      weightDecay = scalarPlaceholder("weight_decay");
      for (Map.Entry<String, int[]> e : WeightLayout.expected(model).entrySet()) {
        String name = e.getKey();
        float[] values = initial.values(name);
        if (name.endsWith(".bn_mean") || name.endsWith(".bn_variance")) {
          moving.put(name, values.clone());
          movingFeeds.put(
              name,
              tf.withName(safe(name))
                  .placeholder(TFloat32.class, Placeholder.shape(Shape.of(values.length))));
        } else {
          shapes.put(name, e.getValue());
          vars.put(name, tf.withName(safe(name)).variable(constant(e.getValue(), values)));
        }
      }
      ForwardPass train = ForwardPass.training(tf, model, vars, trainX);
      trainLogits = train.logits();
      batchMean = train.batchMean();
      batchVar = train.batchVar();
      evalLogits = ForwardPass.inference(tf, model, vars, movingFeeds, evalX).logits();
      Operand<TFloat32> labels =
          tf.oneHot(trainY, tf.constant(model.classes()), tf.constant(1f), tf.constant(0f));
      crossEntropy =
          tf.math.mean(
              tf.nn.softmaxCrossEntropyWithLogits(trainLogits, labels).loss(), tf.constant(0));
      Operand<TFloat32> l2 = tf.constant(0f);
      for (Operand<TFloat32> k : train.kernels()) {
        l2 = tf.math.add(l2, tf.nn.l2Loss(k));
      }
      Operand<TFloat32> total = tf.math.add(crossEntropy, tf.math.mul(weightDecay, l2));
      List<Variable<TFloat32>> trainable = new ArrayList<>(vars.values());
      Gradients grads = tf.gradients(total, trainable);
      // Variables are ref-typed: an ApplyAdam could overwrite a kernel while a backprop op still
      // reads it. Every update therefore waits for all gradients (hence all reads) first.
      List<org.tensorflow.op.core.Identity<TFloat32>> gradients = new ArrayList<>();
      for (int j = 0; j < trainable.size(); j++) {
        @SuppressWarnings("unchecked")
        Output<TFloat32> g = (Output<TFloat32>) (Output<?>) grads.dy(j);
        gradients.add(tf.identity(g));
      }
      Ops after = tf.withControlDependencies(new ArrayList<org.tensorflow.op.Op>(gradients));
      List<org.tensorflow.op.Op> updates = new ArrayList<>();
      int i = 0;
      for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
        String name = e.getKey();
        int[] shape = shapes.get(name);
        float[] m0 =
            optimizerState == null ? new float[size(shape)] : optimizerState.m(name, size(shape));
        float[] v0 =
            optimizerState == null ? new float[size(shape)] : optimizerState.v(name, size(shape));
        Variable<TFloat32> m = tf.withName(safe(name) + "_adam_m").variable(constant(shape, m0));
        Variable<TFloat32> v = tf.withName(safe(name) + "_adam_v").variable(constant(shape, v0));
        adamM.put(name, m);
        adamV.put(name, v);
        updates.add(
            after.train.applyAdam(
                e.getValue(),
                m,
                v,
                beta1Power,
                beta2Power,
                learningRate,
                tf.constant(BETA1),
                tf.constant(BETA2),
                tf.constant(ADAM_EPSILON),
                gradients.get(i++)));
      }
      trainOp = tf.withControlDependencies(updates).noOp();
      step = optimizerState == null ? 0 : optimizerState.step();
      session = new Session(graph, sessionConfig());
      session.initialize();
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** The same thread settings as the deployment runtime (TF fixes them per process). */
  private static ConfigProto sessionConfig() {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(TfRuntime.threads())
        .setInterOpParallelismThreads(1)
        .build();
  }

  private Placeholder<TFloat32> scalarPlaceholder(String name) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }

  private static String safe(String tensorName) {
    return tensorName.replace('.', '_') + "_var";
  }

  private Operand<TFloat32> constant(int[] shape, float[] values) {
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[i];
    }
    return tf.constant(Shape.of(dims), DataBuffers.of(values, true, false));
  }

  private static int size(int[] shape) {
    return (int) NamedTensor.elements(shape);
  }

  public ModelSpec model() {
    return model;
  }

  /** Adam steps taken so far (also across a resume). */
  public long step() {
    return step;
  }

  /**
   * One Adam step on a batch.
   *
   * @param images {@code batch*h*w} inputs (pixel/255), NHWC with one channel
   * @param bnMomentum weight of the old moving statistics (Keras' {@code momentum}, e.g. 0.9)
   */
  public StepResult trainStep(
      float[] images, int[] labels, float lr, float decay, float bnMomentum) {
    int batch = labels.length;
    step++;
    try (TFloat32 x =
            TFloat32.tensorOf(Shape.of(batch, h, w, 1), DataBuffers.of(images, true, false));
        TInt32 y = TInt32.vectorOf(labels);
        TFloat32 lrT = TFloat32.scalarOf(lr);
        TFloat32 b1 = TFloat32.scalarOf((float) Math.pow(BETA1, step));
        TFloat32 b2 = TFloat32.scalarOf((float) Math.pow(BETA2, step));
        TFloat32 wd = TFloat32.scalarOf(decay)) {
      Session.Runner r =
          session
              .runner()
              .feed(trainX, x)
              .feed(trainY, y)
              .feed(learningRate, lrT)
              .feed(beta1Power, b1)
              .feed(beta2Power, b2)
              .feed(weightDecay, wd);
      r.fetch(crossEntropy).fetch(trainLogits);
      List<String> bn = new ArrayList<>(batchMean.keySet());
      for (String n : bn) {
        r.fetch(batchMean.get(n)).fetch(batchVar.get(n));
      }
      r.addTarget(trainOp);
      try (Result res = r.run()) {
        float loss = ((TFloat32) res.get(0)).getFloat();
        float[] logits = read(res.get(1), batch * model.classes());
        int correct = 0;
        for (int i = 0; i < batch; i++) {
          if (argmax(logits, i * model.classes(), model.classes()) == labels[i]) {
            correct++;
          }
        }
        for (int j = 0; j < bn.size(); j++) {
          float[] mean = read(res.get(2 + 2 * j), -1);
          float[] var = read(res.get(3 + 2 * j), -1);
          updateMoving(bn.get(j) + ".bn_mean", mean, bnMomentum);
          updateMoving(bn.get(j) + ".bn_variance", var, bnMomentum);
        }
        return new StepResult(loss, correct);
      }
    }
  }

  private void updateMoving(String name, float[] batch, float momentum) {
    float[] m = moving.get(name);
    for (int i = 0; i < m.length; i++) {
      m[i] = momentum * m[i] + (1 - momentum) * batch[i];
    }
  }

  /**
   * Sets the moving BatchNorm statistics to their average over the given batches (training-mode
   * statistics, no weight update): a cheap, exact re-estimate after training or pruning.
   */
  public void recalibrateBatchNorm(List<float[]> batches, int batchSize) {
    if (batchMean.isEmpty() || batches.isEmpty()) {
      return;
    }
    Map<String, double[]> sums = new LinkedHashMap<>();
    List<String> bn = new ArrayList<>(batchMean.keySet());
    for (float[] images : batches) {
      int batch = images.length / (h * w);
      try (TFloat32 x =
          TFloat32.tensorOf(Shape.of(batch, h, w, 1), DataBuffers.of(images, true, false))) {
        Session.Runner r = session.runner().feed(trainX, x);
        for (String n : bn) {
          r.fetch(batchMean.get(n)).fetch(batchVar.get(n));
        }
        try (Result res = r.run()) {
          for (int j = 0; j < bn.size(); j++) {
            accumulate(sums, bn.get(j) + ".bn_mean", read(res.get(2 * j), -1));
            accumulate(sums, bn.get(j) + ".bn_variance", read(res.get(2 * j + 1), -1));
          }
        }
      }
    }
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      float[] m = moving.get(e.getKey());
      for (int i = 0; i < m.length; i++) {
        m[i] = (float) (e.getValue()[i] / batches.size());
      }
    }
  }

  private static void accumulate(Map<String, double[]> sums, String name, float[] v) {
    double[] s = sums.computeIfAbsent(name, k -> new double[v.length]);
    for (int i = 0; i < v.length; i++) {
      s[i] += v[i];
    }
  }

  /** Logits of the inference pass (moving BatchNorm statistics), {@code batch x classes}. */
  public float[] predict(float[] images, int batch) {
    try (TFloat32 x =
        TFloat32.tensorOf(Shape.of(batch, h, w, 1), DataBuffers.of(images, true, false))) {
      Session.Runner r = session.runner().feed(evalX, x);
      List<TFloat32> fed = new ArrayList<>();
      try {
        for (Map.Entry<String, Placeholder<TFloat32>> e : movingFeeds.entrySet()) {
          TFloat32 t = TFloat32.vectorOf(moving.get(e.getKey()));
          fed.add(t);
          r.feed(e.getValue(), t);
        }
        r.fetch(evalLogits);
        try (Result res = r.run()) {
          return read(res.get(0), batch * model.classes());
        }
      } finally {
        fed.forEach(Tensor::close);
      }
    }
  }

  /**
   * The current weights in weight-file layout: BatchNorm as trained (gamma, beta, moving stats).
   */
  public ModelWeights export(Map<String, String> metadata) {
    Map<String, float[]> values = readVariables(vars);
    List<NamedTensor> out = new ArrayList<>();
    for (Map.Entry<String, int[]> e : WeightLayout.expected(model).entrySet()) {
      float[] v =
          moving.containsKey(e.getKey()) ? moving.get(e.getKey()).clone() : values.get(e.getKey());
      out.add(new NamedTensor(e.getKey(), e.getValue(), v));
    }
    return new ModelWeights(model, out, metadata);
  }

  /** Adam's moments and step, for a checkpoint. */
  public OptimizerState optimizerState() {
    return new OptimizerState(step, readVariables(adamM), readVariables(adamV));
  }

  private Map<String, float[]> readVariables(Map<String, Variable<TFloat32>> which) {
    Map<String, float[]> out = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(which.keySet());
    Session.Runner r = session.runner();
    for (String n : names) {
      r.fetch(which.get(n));
    }
    try (Result res = r.run()) {
      for (int i = 0; i < names.size(); i++) {
        out.put(names.get(i), read(res.get(i), size(shapes.get(names.get(i)))));
      }
    }
    return out;
  }

  private static float[] read(Tensor t, int expected) {
    TFloat32 f = (TFloat32) t;
    int n = (int) f.size();
    if (expected >= 0 && n != expected) {
      throw new IllegalStateException("tensor of " + n + " values, expected " + expected);
    }
    float[] out = new float[n];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  static int argmax(float[] v, int offset, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (v[offset + i] > v[offset + best]) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
