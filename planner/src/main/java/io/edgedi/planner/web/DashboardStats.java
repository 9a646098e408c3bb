package io.edgedi.planner.web;

import io.edgedi.planner.FrameReport;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.schemas.Classification;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's statistics: frames classified per line and class, each worker's bands, latency
 * over time, rejected inputs by reason and the latest incidents. Written by the feed thread and
 * read by whoever asks for the state: callers hold its lock ({@code synchronized (stats)}) around
 * any use.
 */
final class DashboardStats {
  private static final int MAX_INCIDENTS = 10;

  /**
   * A worker's bands: how many, their summed computing time, the latest one against its prediction.
   */
  static final class Tally {
    long tiles;
    double computeMs;
    double lastActualMs;
    double lastPredictedMs;
  }

  record Incident(long atMillis, String kind, String frameId, String reason) {}

  final Map<String, Map<String, Long>> classes = new TreeMap<>();
  final Map<String, Tally> tallies = new TreeMap<>();
  final Map<String, Long> rejected = new TreeMap<>();

  /** Newest first. */
  final Deque<Incident> incidents = new ArrayDeque<>();

  final LatencySeries latency = new LatencySeries();
  List<String> classNames = List.of();
  long classified;

  void classified(FrameReport r, long nowMillis) {
    Classification c = r.classification();
    List<AssignedStage> plan = r.plan().stages();
    for (int s = 0; s < plan.size(); s++) {
      AssignedStage st = plan.get(s);
      for (int b = 0; b < st.bands().size(); b++) {
        Tally t = tallies.computeIfAbsent(st.workers().get(b), k -> new Tally());
        t.tiles++;
        double actual = FrameJson.actualMillis(r, s, b);
        if (actual >= 0) {
          t.computeMs += actual;
          t.lastActualMs = actual;
          t.lastPredictedMs = st.predictedMillis().get(b);
        }
      }
    }
    classified++;
    classNames = List.copyOf(c.getClassNames());
    classes
        .computeIfAbsent(c.getLine(), k -> new TreeMap<>())
        .merge(c.getClassName(), 1L, Long::sum);
    latency.add(nowMillis, FrameJson.latencyMillis(c));
  }

  void incident(Incident i) {
    if ("rejected".equals(i.kind())) {
      rejected.merge(i.reason(), 1L, Long::sum);
    }
    incidents.addFirst(i);
    while (incidents.size() > MAX_INCIDENTS) {
      incidents.removeLast();
    }
  }

  long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
