package io.edgedi.worker;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.runtime.StageRun;
import io.edgedi.schemas.Gate;
import io.edgedi.schemas.PartialOutput;
import io.edgedi.schemas.Tile;
import io.edgedi.transport.Clock;
import io.edgedi.transport.FloatBytes;
import io.edgedi.transport.GateSums;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's job without the network: turns a Tile into a stage run, answers with a reduce
 * request or the output band, and continues a paused run when its Gate (the whole map's sums)
 * arrives. Checks every
 * field it relies on and rejects bad input with a reason. Confined to one thread.
 */
public final class TileRunner implements AutoCloseable {
  private final String workerId;
  private final SliceRunner runner;
  private final SpeedMeter speed;
  private final DevicePace pace;
  private final long pausedRunTimeoutMicros;
  private final Map<String, Paused> paused = new LinkedHashMap<>();
  private long tilesDone;

  /** What to publish and to which planner. */
  public record Reply(String plannerId, PartialOutput output) {}

  /** A stage run waiting for the leader's whole sums, with what its reply needs. */
  private record Paused(Tile tile, StageRun run, StageGeometry geometry, long receivedAt,
                        long computeMicros, int runs, boolean cold) {}

  public TileRunner(String workerId, SliceRunner runner, SpeedMeter speed, long pausedRunTimeoutMicros) {
    this(workerId, runner, speed, DevicePace.off(), pausedRunTimeoutMicros);
  }

  public TileRunner(String workerId, SliceRunner runner, SpeedMeter speed, DevicePace pace,
                    long pausedRunTimeoutMicros) {
    this.workerId = workerId;
    this.runner = runner;
    this.speed = speed;
    this.pace = pace;
    this.pausedRunTimeoutMicros = pausedRunTimeoutMicros;
  }

  public Reply onTile(Tile tile) throws RejectedInput {
    long receivedAt = Clock.micros();
    expireStale(receivedAt);
    String id = tile.getFrameId() + "/" + tile.getStageIndex();
    ModelSpec model = runner.weights().model();
    if (!tile.getWorkerId().equals(workerId)) {
      throw new RejectedInput("WRONG_WORKER", id, "tile is for worker " + tile.getWorkerId());
    }
    if (!tile.getModelId().equals(model.name()) || !tile.getWeightsVersion().equals(runner.weights().version())) {
      throw new RejectedInput("WRONG_MODEL", id, "tile needs " + tile.getModelId() + "@"
          + tile.getWeightsVersion() + ", this worker runs " + model.name() + "@" + runner.weights().version());
    }
    String key = key(tile.getFrameId(), tile.getPlanId(), tile.getStageIndex(), tile.getAttempt());
    if (paused.containsKey(key)) {
      throw new RejectedInput("DUPLICATE_TILE", id, "tile already running");
    }
    StageGeometry geometry;
    try {
      List<Integer> starts = tile.getAllBandStarts();
      List<RowRange> bands = new ArrayList<>();
      for (int i = 0; i + 1 < starts.size(); i++) {
        bands.add(new RowRange(starts.get(i), starts.get(i + 1)));
      }
      if (tile.getBandIndex() < 0 || tile.getBandIndex() >= bands.size()) {
        throw new IllegalArgumentException("band index " + tile.getBandIndex() + " of " + bands.size());
      }
      geometry = StageGeometry.of(model, new Stage(tile.getFromNode(), tile.getToNode()), bands);
    } catch (IllegalArgumentException e) {
      throw new RejectedInput("BAD_TILE", id, "impossible stage or bands: " + e.getMessage());
    }
    int w = tile.getBandIndex();
    RowRange need = geometry.inputRows(w);
    TensorShape in = model.shape(geometry.stage().inputNode());
    if (tile.getInputRowStart() != need.start() || tile.getInputRowEnd() != need.end()
        || tile.getInputWidth() != in.width() || tile.getInputChannels() != in.channels()
        || tile.getInputHeight() != in.height()) {
      throw new RejectedInput("WRONG_SIZE", id, "tile carries rows [" + tile.getInputRowStart() + ","
          + tile.getInputRowEnd() + ") x " + tile.getInputWidth() + " x " + tile.getInputChannels()
          + " of " + tile.getInputHeight() + "; the stage needs rows " + need + " x " + in.width()
          + " x " + in.channels() + " of " + in.height());
    }
    float[] values;
    try {
      values = FloatBytes.decode(tile.getData(), need.size() * in.width() * in.channels());
    } catch (FloatBytes.NonFiniteException e) {
      throw new RejectedInput("NOT_FINITE", id, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new RejectedInput("WRONG_SIZE", id, e.getMessage());
    }
    FeatureMap band = new FeatureMap(need.start(), need.size(), in.width(), in.channels(), values);
    StageRun run = runner.start(geometry, w, band);
    return advance(tile, run, geometry, receivedAt, 0, 0, false, null);
  }

  public Reply onGate(Gate gate) throws RejectedInput {
    String key = key(gate.getFrameId(), gate.getPlanId(), gate.getStageIndex(), gate.getAttempt());
    Paused p = paused.remove(key);
    String id = gate.getFrameId() + "/" + gate.getStageIndex();
    if (p == null) {
      throw new RejectedInput("UNKNOWN_TILE", id, "gate for a stage run this worker does not hold"
          + " (expired, finished or never started)");
    }
    double[] sums;
    try {
      sums = GateSums.decode(gate.getValues());
    } catch (FloatBytes.NonFiniteException e) {
      p.run().close();
      throw new RejectedInput("NOT_FINITE", id, "gate: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      p.run().close();
      throw new RejectedInput("WRONG_SIZE", id, "gate: " + e.getMessage());
    }
    return advance(p.tile(), p.run(), p.geometry(), p.receivedAt(), p.computeMicros(), p.runs(), p.cold(), sums);
  }

  private Reply advance(Tile tile, StageRun run, StageGeometry geometry, long receivedAt,
                       long computeSoFar, int runsSoFar, boolean coldSoFar, double[] wholeSums)
      throws RejectedInput {
    DevicePace.Mark start = pace.mark();
    int graphsBefore = runner.cachedGraphs();
    StageRun.Reduce reduce;
    int runs = runsSoFar;
    try {
      reduce = run.step(wholeSums);
      // A band that is the whole stage owns every row of each reduced map: its partial sum is the
      // whole sum, bit for bit what the leader would send, so the round trip through broker and
      // planner is saved.
      while (reduce != null && geometry.bands().size() == 1) {
        reduce = run.step(reduce.partialSum());
      }
      runs = run.tfRuns();
    } catch (RuntimeException e) {
      run.close();
      throw new RejectedInput("BAD_TILE", tile.getFrameId() + "/" + tile.getStageIndex(),
          "stage run failed: " + e.getMessage());
    }
    pace.stretch(start);
    long compute = computeSoFar + (System.nanoTime() - start.wallNanos()) / 1000;
    // A step that built a segment graph paid its construction and TF's first run (seconds for a
    // big segment on a slow device): not this device's speed.
    boolean cold = coldSoFar || runner.cachedGraphs() != graphsBefore;
    PartialOutput.Builder out = PartialOutput.newBuilder()
        .setFrameId(tile.getFrameId()).setPlanId(tile.getPlanId())
        .setStageIndex(tile.getStageIndex()).setWorkerId(workerId).setBandIndex(tile.getBandIndex())
        .setReceivedAtMicros(receivedAt).setAttempt(tile.getAttempt()).setComputeMicros(compute);
    if (reduce != null) {
      paused.put(key(tile.getFrameId(), tile.getPlanId(), tile.getStageIndex(), tile.getAttempt()),
          new Paused(tile, run, geometry, receivedAt, compute, runs, cold));
      List<Double> sums = new ArrayList<>(reduce.partialSum().length);
      for (double v : reduce.partialSum()) {
        sums.add(v);
      }
      return new Reply(tile.getPlannerId(), out.setAttentionNode(reduce.node()).setPartialSums(sums)
          .setRowStart(0).setRowEnd(0).setHeight(0).setWidth(0).setChannels(0)
          .setData(ByteBuffer.allocate(0)).setSentAtMicros(Clock.micros()).build());
    }
    FeatureMap band;
    try {
      band = run.output();
    } finally {
      run.close();
    }
    tilesDone++;
    if (!cold) {
      speed.record(geometry.macs(tile.getBandIndex()), compute, runs);
    }
    return new Reply(tile.getPlannerId(), out.setAttentionNode(-1).setPartialSums(List.of())
        .setRowStart(band.rowStart()).setRowEnd(band.rowStart() + band.rows()).setHeight(band.rows())
        .setWidth(band.width()).setChannels(band.channels()).setData(FloatBytes.encode(band.data()))
        .setSentAtMicros(Clock.micros()).build());
  }

  /** Closes paused runs whose sums never came (the planner gave up or re-planned). */
  private void expireStale(long now) {
    Iterator<Paused> it = paused.values().iterator();
    while (it.hasNext()) {
      Paused p = it.next();
      if (now - p.receivedAt() > pausedRunTimeoutMicros) {
        p.run().close();
        it.remove();
      }
    }
  }

  private static String key(String frame, String plan, int stage, int attempt) {
    return frame + "\u0000" + plan + "\u0000" + stage + "\u0000" + attempt;
  }

  public int inFlight() {
    return paused.size();
  }

  public long tilesDone() {
    return tilesDone;
  }

  @Override
  public void close() {
    paused.values().forEach(p -> p.run().close());
    paused.clear();
  }
}
