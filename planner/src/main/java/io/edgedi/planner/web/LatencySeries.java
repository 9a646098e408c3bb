package io.edgedi.planner.web;

import io.edgedi.transport.metrics.Percentiles;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Frame latencies of the last {@link #SERIES_SECONDS} seconds (at most {@link #MAX_SAMPLES}), as
 * {@link #BUCKET_SECONDS}-second buckets and as the last minute. Not thread-safe.
 */
final class LatencySeries {
  static final int BUCKET_SECONDS = 5;
  static final int SERIES_SECONDS = 300;
  private static final int MAX_SAMPLES = 50_000;

  private record Sample(long atMillis, double latencyMs) {}

  /** Frames, rate and latency percentiles of a stretch of time; p50 and p95 null without frames. */
  record Stretch(long startMillis, int frames, double framesPerSecond, Double p50, Double p95) {
    static Stretch of(long startMillis, List<Double> latencies, double seconds) {
      boolean none = latencies.isEmpty();
      return new Stretch(
          startMillis,
          latencies.size(),
          latencies.size() / seconds,
          none ? null : Percentiles.of(latencies, 50),
          none ? null : Percentiles.of(latencies, 95));
    }
  }

  /** The buckets from {@code startMillis} to {@code endMillis}, oldest first. */
  record Buckets(long startMillis, long endMillis, List<Stretch> points, Stretch lastMinute) {}

  private final Deque<Sample> samples = new ArrayDeque<>();

  void add(long nowMillis, double latencyMs) {
    samples.addLast(new Sample(nowMillis, latencyMs));
    while (samples.size() > MAX_SAMPLES
        || (!samples.isEmpty()
            && samples.peekFirst().atMillis() < nowMillis - SERIES_SECONDS * 1000L)) {
      samples.removeFirst();
    }
  }

  Buckets buckets(long nowMillis) {
    int buckets = SERIES_SECONDS / BUCKET_SECONDS;
    long end = (nowMillis / 1000 / BUCKET_SECONDS + 1) * BUCKET_SECONDS * 1000L;
    long start = end - SERIES_SECONDS * 1000L;
    List<List<Double>> byBucket = new ArrayList<>();
    for (int i = 0; i < buckets; i++) {
      byBucket.add(new ArrayList<>());
    }
    List<Double> lastMinute = new ArrayList<>();
    for (Sample x : samples) {
      int i = (int) ((x.atMillis() - start) / (BUCKET_SECONDS * 1000L));
      if (i >= 0 && i < buckets) {
        byBucket.get(i).add(x.latencyMs());
      }
      if (x.atMillis() >= nowMillis - 60_000) {
        lastMinute.add(x.latencyMs());
      }
    }
    List<Stretch> points = new ArrayList<>();
    for (int i = 0; i < buckets; i++) {
      points.add(Stretch.of(start + i * BUCKET_SECONDS * 1000L, byBucket.get(i), BUCKET_SECONDS));
    }
    return new Buckets(start, end, points, Stretch.of(nowMillis - 60_000, lastMinute, 60));
  }
}
