package io.edgedi.planner.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the planner learns of each worker from the tiles it really finished, on top of its
 * telemetry: compute speed, and the link (bytes per second, one-way latency).
 *
 * <p><b>Compute.</b> A tile of {@code macs} that took {@code computeMicros} in {@code runs} TF runs
 * gives the sample {@code (computeMicros - runs * overhead) / (2 * macs)} seconds per FLOP
 * (overhead: the worker's reported fixed cost per run; a band pauses once per channel attention,
 * and each pause is one more run). Samples are smoothed exponentially with {@link #ALPHA}, or
 * {@link #FAST_ALPHA} when a sample is more than 50% off the estimate, so a Pi that gets busy (3x
 * slower) shows within two or three tiles while single jitters move it little. With a reference
 * work (one frame's FLOPs), a tile weighs by its share of it: {@code a} becomes {@code 1 - (1 -
 * a)^(flops / reference)}, so a frame's worth of work moves the estimate by {@code a} whether it
 * came as one tile or as fifty thin bands, whose time is mostly overhead and whose samples scatter
 * widely. Before its first tile a worker is what its telemetry says; telemetry that moves by more
 * than 50% (the worker saw it on tiles of other planners) counts as a sample too.
 *
 * <p><b>Link.</b> The network part of a tile's round trip (send to result at the leader, minus the
 * time the tile spent on the worker) is {@code 2 * latency + bytes / bytesPerSecond}. Tiles of
 * different stages differ a lot in size, so an exponentially weighted least-squares line through
 * (bytes, network time) gives both; while the sizes seen are too alike, latency stays where it was
 * and only the bandwidth moves. A sample more than 50% off the line forgets the past faster.
 *
 * <p><b>Unused workers.</b> A worker planned out of every stage sends no samples, so its slow
 * estimate could never recover. After {@link #DEFAULT_FRESH_MILLIS} without a tile its compute
 * estimate relaxes (time constant {@link #DEFAULT_RELAX_MILLIS}) towards the best it ever showed;
 * once planned in again, its next tiles correct it within a few samples.
 *
 * <p>Thread-safe; {@link #adjust} gives the worker list to plan with.
 */
public final class SpeedEstimator {
  public static final double ALPHA = 0.3;
  public static final double FAST_ALPHA = 0.7;
  public static final double JUMP = 0.5;
  public static final long DEFAULT_FRESH_MILLIS = 10_000;
  public static final long DEFAULT_RELAX_MILLIS = 30_000;
  private static final double LINK_DECAY = 0.8;
  private static final double LINK_FAST_DECAY = 0.4;
  private static final double MIN_BYTES_PER_SECOND = 1e4;
  private static final double MAX_BYTES_PER_SECOND = 1e11;
  private static final double MAX_LATENCY_MILLIS = 10_000;

  /** The learned view of one worker. */
  public record Estimate(
      double secondsPerFlop,
      double overheadMillis,
      double bytesPerSecond,
      double latencyMillis,
      long tiles,
      long lastTileMillis) {
    public double secondsPerGflop() {
      return secondsPerFlop * 1e9;
    }
  }

  private final LongSupplier clockMillis;
  private final long freshMillis;
  private final long relaxMillis;
  private final double referenceFlops;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  public SpeedEstimator() {
    this(0);
  }

  /**
   * Tiles weigh by their share of {@code referenceFlops} (one frame of the model); 0: every tile
   * alike.
   */
  public SpeedEstimator(double referenceFlops) {
    this(System::currentTimeMillis, DEFAULT_FRESH_MILLIS, DEFAULT_RELAX_MILLIS, referenceFlops);
  }

  public SpeedEstimator(LongSupplier clockMillis, long freshMillis, long relaxMillis) {
    this(clockMillis, freshMillis, relaxMillis, 0);
  }

  public SpeedEstimator(
      LongSupplier clockMillis, long freshMillis, long relaxMillis, double referenceFlops) {
    this.clockMillis = clockMillis;
    this.freshMillis = freshMillis;
    this.relaxMillis = relaxMillis;
    this.referenceFlops = referenceFlops > 0 ? referenceFlops : 0;
  }

  /**
   * One finished tile, when the worker's own residence time is not known: the whole round trip
   * minus the compute time counts as network.
   */
  public void record(
      String workerId,
      long macs,
      long computeMicros,
      long bytesIn,
      long bytesOut,
      long roundTripMicros) {
    record(workerId, macs, computeMicros, 1, bytesIn, bytesOut, roundTripMicros, computeMicros);
  }

  /**
   * One finished tile.
   *
   * @param macs the band's multiply-accumulates, halo included ({@code StageGeometry.macs})
   * @param computeMicros the worker's measured compute time (BandResult StageCost.computeMicros)
   * @param runs TF runs the band took: one, plus one per channel attention of its stage
   * @param bytesIn tile payload sent to the worker
   * @param bytesOut result payload received
   * @param roundTripMicros leader clock, from sending the tile to receiving its final result
   * @param residenceMicros worker clock, from receiving the tile to sending the result
   *     (BandResult.sentAtMicros - receivedAtMicros; includes waiting for peers)
   */
  public void record(
      String workerId,
      long macs,
      long computeMicros,
      int runs,
      long bytesIn,
      long bytesOut,
      long roundTripMicros,
      long residenceMicros) {
    State s = states.computeIfAbsent(workerId, id -> new State());
    synchronized (s) {
      long now = clockMillis.getAsLong();
      double flops = 2.0 * macs;
      if (flops > 0 && computeMicros > 0) {
        double seconds = computeMicros / 1e6;
        double overhead =
            Double.isNaN(s.overheadMillis) ? 0 : Math.max(1, runs) * s.overheadMillis / 1e3;
        double sample = Math.max(seconds - overhead, 0.1 * seconds) / flops;
        double share = referenceFlops > 0 ? Math.min(1, flops / referenceFlops) : 1;
        s.spf = Double.isNaN(s.spf) ? sample : smooth(s.spf, sample, share);
        s.best = Double.isNaN(s.best) ? s.spf : Math.min(s.best, s.spf);
        s.tiles++;
        s.lastTile = now;
      }
      double bytes = Math.max(0, bytesIn) + Math.max(0, bytesOut);
      double networkMillis = (roundTripMicros - Math.max(residenceMicros, 0)) / 1e3;
      if (roundTripMicros > 0 && networkMillis > 0 && bytes > 0) {
        s.link(bytes, networkMillis);
      }
    }
  }

  /** Telemetry: the worker's overhead, and its own speed when no tile says otherwise. */
  public void observe(WorkerStatus w) {
    State s = states.computeIfAbsent(w.workerId(), id -> new State());
    synchronized (s) {
      if (w.lastSeenMillis() == s.telemetryAt && w.secondsPerGflop() == s.telemetrySpf * 1e9) {
        return;
      }
      s.telemetryAt = w.lastSeenMillis();
      if (w.overheadMillis() >= 0) {
        s.overheadMillis = w.overheadMillis();
      }
      if (!(w.secondsPerGflop() > 0) || Double.isInfinite(w.secondsPerGflop())) {
        return;
      }
      double spf = w.secondsPerGflop() / 1e9;
      boolean moved = !Double.isNaN(s.telemetrySpf) && deviates(s.telemetrySpf, spf);
      s.telemetrySpf = spf;
      if (Double.isNaN(s.spf) || s.tiles == 0) {
        s.spf = spf;
      } else if (moved) {
        s.spf = smooth(s.spf, spf, 1);
      }
      s.best = Double.isNaN(s.best) ? s.spf : Math.min(s.best, s.spf);
    }
  }

  /** The learned view of a worker, or empty if nothing was heard of it. */
  public Optional<Estimate> estimate(String workerId) {
    State s = states.get(workerId);
    if (s == null) {
      return Optional.empty();
    }
    synchronized (s) {
      if (Double.isNaN(s.spf)) {
        return Optional.empty();
      }
      return Optional.of(
          new Estimate(
              effectiveSpf(s),
              Double.isNaN(s.overheadMillis) ? 0 : s.overheadMillis,
              s.bytesPerSecond,
              s.latencyMillis,
              s.tiles,
              s.lastTile));
    }
  }

  /** The workers as the planner should see them: telemetry with the learned speed and link. */
  public List<WorkerStatus> adjust(List<WorkerStatus> workers) {
    List<WorkerStatus> out = new ArrayList<>(workers.size());
    for (WorkerStatus w : workers) {
      observe(w);
      Optional<Estimate> e = estimate(w.workerId());
      if (e.isEmpty()) {
        out.add(w);
        continue;
      }
      Estimate x = e.get();
      out.add(
          w.withSpeed(x.secondsPerGflop(), x.overheadMillis())
              .withLink(x.bytesPerSecond(), x.latencyMillis()));
    }
    return out;
  }

  /** Drops what was learned of a worker (e.g. it restarted on other hardware). */
  public void forget(String workerId) {
    states.remove(workerId);
  }

  private double effectiveSpf(State s) {
    if (s.tiles == 0 || Double.isNaN(s.best)) {
      return s.spf;
    }
    long idle = clockMillis.getAsLong() - s.lastTile - freshMillis;
    if (idle <= 0 || relaxMillis <= 0) {
      return s.spf;
    }
    double keep = Math.exp(-(double) idle / relaxMillis);
    return s.best + (s.spf - s.best) * keep;
  }

  /**
   * Exponential smoothing where a sample worth {@code share} of the reference work weighs that
   * much.
   */
  private static double smooth(double estimate, double sample, double share) {
    double a = deviates(estimate, sample) ? FAST_ALPHA : ALPHA;
    double weighted = share >= 1 ? a : 1 - Math.pow(1 - a, share);
    return (1 - weighted) * estimate + weighted * sample;
  }

  private static boolean deviates(double estimate, double sample) {
    return Math.abs(sample - estimate) > JUMP * estimate;
  }

  private static final class State {
    double spf = Double.NaN;
    double best = Double.NaN;
    double telemetrySpf = Double.NaN;
    long telemetryAt = Long.MIN_VALUE;
    double overheadMillis = Double.NaN;
    long tiles;
    long lastTile;
    double bytesPerSecond = WorkerStatus.DEFAULT_LINK_BYTES_PER_SECOND;
    double latencyMillis = WorkerStatus.DEFAULT_LINK_LATENCY_MILLIS;
    // Exponentially weighted sums for the line network = 2 * latency + bytes * millisPerByte.
    double w;
    double sx;
    double sy;
    double sxx;
    double sxy;
    int linkSamples;

    void link(double bytes, double networkMillis) {
      double predicted = 2 * latencyMillis + bytes * 1e3 / bytesPerSecond;
      double decay =
          linkSamples > 0 && Math.abs(networkMillis - predicted) > JUMP * predicted
              ? LINK_FAST_DECAY
              : LINK_DECAY;
      w = decay * w + 1;
      sx = decay * sx + bytes;
      sy = decay * sy + networkMillis;
      sxx = decay * sxx + bytes * bytes;
      sxy = decay * sxy + bytes * networkMillis;
      linkSamples++;
      double mx = sx / w;
      double my = sy / w;
      double var = sxx / w - mx * mx;
      double cov = sxy / w - mx * my;
      double slope = Double.NaN;
      double intercept = Double.NaN;
      if (linkSamples >= 3 && var > 0.01 * mx * mx) {
        slope = cov / var;
        intercept = my - slope * mx;
      }
      if (slope > 0 && intercept >= 0) {
        bytesPerSecond = clamp(1e3 / slope, MIN_BYTES_PER_SECOND, MAX_BYTES_PER_SECOND);
        latencyMillis = Math.min(intercept / 2, MAX_LATENCY_MILLIS);
      } else {
        // Sizes too alike (or a noisy line): keep the latency, fit the bandwidth to the mean.
        double lat = Math.min(latencyMillis, 0.25 * my);
        double transfer = my - 2 * lat;
        latencyMillis = lat;
        bytesPerSecond = clamp(mx * 1e3 / transfer, MIN_BYTES_PER_SECOND, MAX_BYTES_PER_SECOND);
      }
    }

    private static double clamp(double v, double lo, double hi) {
      return Math.max(lo, Math.min(hi, v));
    }
  }
}
