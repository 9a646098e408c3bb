package io.edgedi.worker.frame;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.Segment;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.runtime.StageRun;
import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.PeerRows;
import io.edgedi.schemas.PeerSums;
import io.edgedi.schemas.StageCost;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Clock;
import io.edgedi.transport.FloatBytes;
import io.edgedi.worker.DevicePace;
import io.edgedi.worker.RejectedInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This worker's part of one frame, from its task to its result. The worker keeps its band of the
 * map from stage to stage: between stages it sends each peer of the next stage the rows that peer
 * needs from it and waits for the rows it needs from theirs; at a channel attention it sends its
 * partial sums to the stage's other workers and continues once it holds all of theirs (adding them
 * in band order, as every peer does, so all compute the same gate). Only the head's inputs (the
 * trunk output's per-channel sums) and what each band cost go to the planner.
 *
 * <p>Driven by events: {@link #advance()} computes as far as the messages at hand allow and
 * returns; messages that arrive early are kept until their stage needs them. Every peer message is
 * checked against the plan: the sender (from the topic) must own the rows it sends, or be a worker
 * of the stage it sends sums for. Confined to the worker's compute thread; owns its TF run.
 */
public final class FramePart implements AutoCloseable {
  private final Task task;
  private final TaskPlan plan;
  private final String me;
  private final SliceRunner runner;
  private final DevicePace pace;
  private final PeerOutbox out;
  private final long receivedAtMicros;
  private final Map<Integer, Map<String, Arrived<FeatureMap>>> rows = new HashMap<>();
  private final Map<Long, Map<String, Arrived<double[]>>> sums = new HashMap<>();
  private final List<StageCost> costs = new ArrayList<>();
  private final List<BandDone> done = new ArrayList<>();
  private FeatureMap image;
  private FeatureMap held;
  private int stage;
  private StageRun run;
  private StageRun.Reduce waiting;
  private long waitingSince;
  private long readySince;
  private int round;
  private Cost cost;
  private boolean finished;

  /** What the part needs of its FrameTask (ids and timing), already checked by the caller. */
  public record Task(
      String frameId, String planId, int attempt, String plannerId, long deadlineMicros) {}

  private record Arrived<T>(T value, long micros) {}

  /** The running tally of the band being computed. */
  private static final class Cost {
    final int band;
    long compute;
    long sinceRound;
    int runs;
    boolean cold;
    long inputWait;
    long inputBytes;
    final List<Long> roundCompute = new ArrayList<>();
    final List<Long> roundWait = new ArrayList<>();

    Cost(int band) {
      this.band = band;
    }
  }

  /**
   * @param image this worker's rows of the image (band + halo of the first stage), already scaled;
   *     null if it has no band in the first stage
   */
  public FramePart(
      Task task,
      TaskPlan plan,
      String me,
      FeatureMap image,
      SliceRunner runner,
      DevicePace pace,
      PeerOutbox out,
      long receivedAtMicros) {
    this.task = task;
    this.plan = plan;
    this.me = me;
    this.image = image;
    this.runner = runner;
    this.pace = pace;
    this.out = out;
    this.receivedAtMicros = receivedAtMicros;
    this.readySince = receivedAtMicros;
  }

  public Task task() {
    return task;
  }

  public boolean finished() {
    return finished;
  }

  /** The bands finished so far (for the worker's speed meter). */
  public List<BandDone> bandsDone() {
    return List.copyOf(done);
  }

  /** Takes rows of a stage's input from {@code sender}; checks them against the plan. */
  public void acceptRows(String sender, PeerRows m, long arrivedMicros) throws RejectedInput {
    String id = id();
    int s = m.getStageIndex();
    if (s < 1 || s >= plan.stages()) {
      throw new RejectedInput(
          RejectReason.NOT_IN_PLAN,
          id,
          "rows for stage " + s + " of a " + plan.stages() + "-stage plan");
    }
    RowRange owed = plan.owed(s, sender, me);
    if (owed.isEmpty()) {
      throw new RejectedInput(
          RejectReason.NOT_IN_PLAN,
          id,
          "worker "
              + sender
              + " owes "
              + me
              + " no rows of stage "
              + s
              + " in plan "
              + task.planId()
              + " attempt "
              + task.attempt());
    }
    if (m.getRowStart() != owed.start() || m.getRowEnd() != owed.end()) {
      throw new RejectedInput(
          RejectReason.WRONG_SIZE,
          id,
          "worker "
              + sender
              + " sent rows ["
              + m.getRowStart()
              + ","
              + m.getRowEnd()
              + ") of stage "
              + s
              + ", the plan says "
              + owed);
    }
    TensorShape shape = plan.model().shape(plan.geometry(s).stage().inputNode());
    if (m.getWidth() != shape.width() || m.getChannels() != shape.channels()) {
      throw new RejectedInput(
          RejectReason.WRONG_SIZE,
          id,
          "rows are "
              + m.getWidth()
              + " x "
              + m.getChannels()
              + " wide, stage "
              + s
              + " takes "
              + shape.width()
              + " x "
              + shape.channels());
    }
    if (s < stage
        || (s == stage && run != null)
        || rows.computeIfAbsent(s, k -> new HashMap<>()).containsKey(sender)) {
      throw new RejectedInput(
          RejectReason.DUPLICATE_PEER,
          id,
          "rows of stage " + s + " from " + sender + " arrived twice");
    }
    float[] values;
    try {
      values = FloatBytes.decode(m.getData(), owed.size() * shape.width() * shape.channels());
    } catch (FloatBytes.NonFiniteException e) {
      throw new RejectedInput(
          RejectReason.NOT_FINITE, id, "rows from " + sender + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new RejectedInput(
          RejectReason.WRONG_SIZE, id, "rows from " + sender + ": " + e.getMessage());
    }
    rows.get(s)
        .put(
            sender,
            new Arrived<>(
                new FeatureMap(owed.start(), owed.size(), shape.width(), shape.channels(), values),
                arrivedMicros));
  }

  /** Takes {@code sender}'s partial sums of a stage's reduce; checks them against the plan. */
  public void acceptSums(String sender, PeerSums m, long arrivedMicros) throws RejectedInput {
    String id = id();
    int s = m.getStageIndex();
    if (s < 0
        || s >= plan.stages()
        || plan.band(s, sender) < 0
        || plan.band(s, me) < 0
        || plan.workers(s).size() < 2
        || sender.equals(me)) {
      throw new RejectedInput(
          RejectReason.NOT_IN_PLAN,
          id,
          "worker "
              + sender
              + " shares no reduce of stage "
              + s
              + " with "
              + me
              + " in plan "
              + task.planId()
              + " attempt "
              + task.attempt());
    }
    List<Integer> nodes = reduceNodes(plan.model(), plan.geometry(s));
    int r = m.getRound();
    if (r < 0 || r >= nodes.size() || m.getNode() != nodes.get(r)) {
      throw new RejectedInput(
          RejectReason.NOT_IN_PLAN,
          id,
          "stage "
              + s
              + " has no reduce "
              + r
              + " of node "
              + m.getNode()
              + " (its reduces: "
              + nodes
              + ")");
    }
    int channels = plan.model().shape(m.getNode()).channels();
    if (m.getSums().size() != channels) {
      throw new RejectedInput(
          RejectReason.WRONG_SIZE,
          id,
          m.getSums().size() + " sums for node " + m.getNode() + " of " + channels + " channels");
    }
    double[] values = new double[channels];
    for (int i = 0; i < channels; i++) {
      values[i] = m.getSums().get(i);
      if (!Double.isFinite(values[i])) {
        throw new RejectedInput(
            RejectReason.NOT_FINITE, id, "sum " + i + " from " + sender + " is " + values[i]);
      }
    }
    Map<String, Arrived<double[]>> slot = sums.computeIfAbsent(key(s, r), k -> new HashMap<>());
    if (s < stage || (s == stage && r < round) || slot.containsKey(sender)) {
      throw new RejectedInput(
          RejectReason.DUPLICATE_PEER,
          id,
          "sums of stage " + s + " reduce " + r + " from " + sender + " arrived twice");
    }
    slot.put(sender, new Arrived<>(values, arrivedMicros));
  }

  /**
   * Computes as far as the rows and sums at hand allow; sends what peers and planner need on the
   * way. Throws if the TF run fails or a message cannot be sent: the part is then useless.
   */
  public void advance() throws RejectedInput {
    try {
      while (!finished) {
        if (stage == plan.stages()) {
          sendResult();
          finished = true;
          break;
        }
        int band = plan.band(stage, me);
        if (band < 0) {
          stage++;
          continue;
        }
        if (run == null) {
          FeatureMap input = input(band);
          if (input == null) {
            return;
          }
          run = runner.start(plan.geometry(stage), band, input);
          round = 0;
          held = null;
          step(null);
        } else if (waiting != null) {
          double[] whole = wholeSums();
          if (whole == null) {
            return;
          }
          step(whole);
        }
      }
    } catch (RejectedInput e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new RejectedInput(RejectReason.TASK_FAILED, id(), "stage " + stage + " failed: " + e);
    }
  }

  /**
   * The rows this band needs, from the image, its own previous band and its peers'; null if some
   * are missing.
   */
  private FeatureMap input(int band) {
    StageGeometry geo = plan.geometry(stage);
    RowRange need = geo.inputRows(band);
    if (cost == null || cost.band != band) {
      cost = new Cost(band);
    }
    if (stage == 0) {
      FeatureMap in = image;
      image = null;
      cost.inputBytes = (long) need.size() * in.width();
      return in;
    }
    long lastArrival = 0;
    long bytes = 0;
    Map<String, Arrived<FeatureMap>> received = rows.getOrDefault(stage, Map.of());
    for (String sender : plan.workers(stage - 1)) {
      if (!sender.equals(me)
          && !plan.owed(stage, sender, me).isEmpty()
          && !received.containsKey(sender)) {
        return null;
      }
    }
    // One copy into the band's input: this worker's own rows and its peers' rows, top to bottom
    // (the senders' bands partition the map, so the pieces tile the input exactly).
    TensorShape shape = plan.model().shape(geo.stage().inputNode());
    int rowLength = shape.width() * shape.channels();
    float[] data = new float[need.size() * rowLength];
    int filled = 0;
    for (String sender : plan.workers(stage - 1)) {
      RowRange owed = plan.owed(stage, sender, me);
      if (owed.isEmpty()) {
        continue;
      }
      FeatureMap from;
      if (sender.equals(me)) {
        from = held;
      } else {
        Arrived<FeatureMap> a = received.get(sender);
        from = a.value();
        lastArrival = Math.max(lastArrival, a.micros());
        bytes += 4L * from.data().length;
      }
      System.arraycopy(
          from.data(),
          (owed.start() - from.rowStart()) * rowLength,
          data,
          (owed.start() - need.start()) * rowLength,
          owed.size() * rowLength);
      filled += owed.size();
    }
    rows.remove(stage);
    if (filled != need.size()) {
      throw new IllegalStateException(
          "stage " + stage + " got " + filled + " of the " + need.size() + " rows " + need);
    }
    cost.inputWait = Math.max(0, lastArrival - readySince);
    cost.inputBytes = bytes;
    return new FeatureMap(need.start(), need.size(), shape.width(), shape.channels(), data);
  }

  /** All bands' sums of the open reduce added in band order, or null while some are missing. */
  private double[] wholeSums() {
    Map<String, Arrived<double[]>> slot = sums.getOrDefault(key(stage, round), Map.of());
    double[] total = new double[waiting.partialSum().length];
    long lastArrival = 0;
    for (String w : plan.workers(stage)) {
      double[] part;
      if (w.equals(me)) {
        part = waiting.partialSum();
      } else {
        Arrived<double[]> a = slot.get(w);
        if (a == null) {
          return null;
        }
        part = a.value();
        lastArrival = Math.max(lastArrival, a.micros());
      }
      for (int i = 0; i < total.length; i++) {
        total[i] += part[i];
      }
    }
    sums.remove(key(stage, round));
    cost.roundWait.add(Math.max(0, lastArrival - waitingSince));
    waiting = null;
    round++;
    return total;
  }

  private void step(double[] whole) throws Exception {
    boolean alone = plan.geometry(stage).workers() == 1;
    DevicePace.Mark start = pace.mark();
    int graphsBefore = runner.cachedGraphs();
    StageRun.Reduce reduce = run.step(whole);
    // A band that is the whole stage holds every row of the reduced map: its partial sum is the
    // whole sum, so it continues at once.
    while (reduce != null && alone) {
      reduce = run.step(reduce.partialSum());
    }
    pace.stretch(start);
    long took = (System.nanoTime() - start.wallNanos()) / 1000;
    cost.compute += took;
    cost.sinceRound += took;
    cost.cold |= runner.cachedGraphs() != graphsBefore;
    if (reduce != null) {
      cost.roundCompute.add(cost.sinceRound);
      cost.sinceRound = 0;
      waiting = reduce;
      waitingSince = Clock.micros();
      List<Double> values = new ArrayList<>(reduce.partialSum().length);
      for (double v : reduce.partialSum()) {
        values.add(v);
      }
      List<String> peers = plan.workers(stage).stream().filter(w -> !w.equals(me)).toList();
      out.sums(
          peers,
          PeerSums.newBuilder()
              .setFrameId(task.frameId())
              .setPlanId(task.planId())
              .setAttempt(task.attempt())
              .setStageIndex(stage)
              .setRound(round)
              .setNode(reduce.node())
              .setSums(values)
              .setSentAtMicros(Clock.micros())
              .build());
      return;
    }
    finishStage();
  }

  private void finishStage() throws Exception {
    FeatureMap band;
    try {
      band = run.output();
    } finally {
      run.close();
      run = null;
    }
    StageGeometry geo = plan.geometry(stage);
    // TF runs, not steps: a sum of the stage input is taken in Java.
    cost.runs = Segment.runs(plan.model(), geo.stage());
    costs.add(
        StageCost.newBuilder()
            .setStageIndex(stage)
            .setBandIndex(cost.band)
            .setComputeMicros(cost.compute)
            .setRuns(cost.runs)
            .setCold(cost.cold)
            .setInputWaitMicros(cost.inputWait)
            .setInputBytes(cost.inputBytes)
            .setRoundComputeMicros(List.copyOf(cost.roundCompute))
            .setRoundWaitMicros(List.copyOf(cost.roundWait))
            .build());
    done.add(new BandDone(geo.macs(cost.band), cost.compute, cost.runs, cost.cold));
    cost = null;
    if (!plan.isLast(stage)) {
      int next = stage + 1;
      for (String w : plan.workers(next)) {
        RowRange owed = plan.owed(next, me, w);
        if (!w.equals(me) && !owed.isEmpty()) {
          out.rows(
              w,
              PeerRows.newBuilder()
                  .setFrameId(task.frameId())
                  .setPlanId(task.planId())
                  .setAttempt(task.attempt())
                  .setStageIndex(next)
                  .setRowStart(owed.start())
                  .setRowEnd(owed.end())
                  .setWidth(band.width())
                  .setChannels(band.channels())
                  .setData(FloatBytes.encode(band.slice(owed).data()))
                  .setSentAtMicros(Clock.micros())
                  .build());
        }
      }
      held = plan.band(next, me) >= 0 ? band : null;
    } else {
      held = band;
    }
    readySince = Clock.micros();
    stage++;
    round = 0;
  }

  private void sendResult() throws Exception {
    BandResult.Builder r =
        BandResult.newBuilder()
            .setFrameId(task.frameId())
            .setPlanId(task.planId())
            .setAttempt(task.attempt())
            .setWorkerId(me)
            .setStages(List.copyOf(costs))
            .setReceivedAtMicros(receivedAtMicros);
    int last = plan.stages() - 1;
    if (plan.band(last, me) >= 0 && held != null) {
      r.setHeadRowStart(held.rowStart())
          .setHeadRowEnd(held.rowStart() + held.rows())
          .setHeadSums(channelSums(held));
    } else {
      r.setHeadRowStart(0).setHeadRowEnd(0).setHeadSums(List.of());
    }
    held = null;
    out.result(task.plannerId(), r.setSentAtMicros(Clock.micros()).build());
  }

  /**
   * Per-channel sums of a band in double, row by row: what the head's global average pool needs.
   */
  static List<Double> channelSums(FeatureMap band) {
    int c = band.channels();
    double[] s = new double[c];
    float[] d = band.data();
    for (int i = 0; i < d.length; i++) {
      s[i % c] += d[i];
    }
    List<Double> outList = new ArrayList<>(c);
    for (double v : s) {
      outList.add(v);
    }
    return outList;
  }

  /** The nodes a stage reduces, in order: what each round's sums must be of. */
  static List<Integer> reduceNodes(ModelSpec model, StageGeometry geo) {
    List<Integer> nodes = new ArrayList<>();
    for (Segment seg : Segment.of(model, geo.stage())) {
      if (seg.reduces()) {
        nodes.add(seg.reduceNode());
      }
    }
    return nodes;
  }

  private static long key(int stage, int round) {
    return ((long) stage << 32) | round;
  }

  private String id() {
    return task.frameId() + "/" + task.planId() + "#" + task.attempt();
  }

  @Override
  public void close() {
    if (run != null) {
      run.close();
      run = null;
    }
    rows.clear();
    sums.clear();
    held = null;
    image = null;
  }
}
