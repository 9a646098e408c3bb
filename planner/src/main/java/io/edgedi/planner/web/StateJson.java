package io.edgedi.planner.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** The dashboard's whole picture as JSON ({@code state} events and {@code /api/state}). */
final class StateJson {
  private static final long STALE_AFTER_MILLIS = 5_000;

  /** What the feed itself counts beside the statistics. */
  record Feed(
      int clients,
      long failed,
      long replans,
      long droppedByDashboard,
      List<ObjectNode> recentFrames) {}

  private StateJson() {}

  /** Call holding {@code stats}' lock. {@code feed.recentFrames()} null: without them. */
  static ObjectNode of(
      ObjectMapper mapper, long now, DashboardFeed.Source source, DashboardStats stats, Feed feed) {
    ObjectNode s = mapper.createObjectNode();
    s.put("now", now);
    ObjectNode info = s.putObject("info");
    source.info().forEach(info::put);
    s.put("broker", safe(source.connected()));
    s.put("queued", source.queued().getAsInt());
    s.put("clients", feed.clients());
    ObjectNode totals = s.putObject("totals");
    totals
        .put("classified", stats.classified)
        .put("failed", feed.failed())
        .put("replans", feed.replans())
        .put("rejected", stats.rejectedTotal())
        .put("droppedByDashboard", feed.droppedByDashboard());
    ObjectNode rj = s.putObject("rejected");
    stats.rejected.forEach(rj::put);
    workers(s.putArray("workers"), now, source, stats);
    series(s, stats.latency.buckets(now));
    ArrayNode cn = s.putArray("classNames");
    stats.classNames.forEach(cn::add);
    ObjectNode cl = s.putObject("classes");
    stats.classes.forEach(
        (line, counts) -> {
          ObjectNode l = cl.putObject(line);
          counts.forEach(l::put);
        });
    ArrayNode inc = s.putArray("incidents");
    stats.incidents.forEach(
        i ->
            inc.addObject()
                .put("at", i.atMillis())
                .put("kind", i.kind())
                .put("frame", i.frameId())
                .put("reason", i.reason()));
    if (feed.recentFrames() != null) {
      ArrayNode frames = s.putArray("frames");
      feed.recentFrames().forEach(frames::add);
    }
    return s;
  }

  private static void workers(
      ArrayNode workers, long now, DashboardFeed.Source source, DashboardStats stats) {
    Set<String> usable = new HashSet<>();
    for (WorkerStatus w : source.usable().get()) {
      usable.add(w.workerId());
    }
    for (WorkerStatus w : source.workers().get()) {
      long ago = now - w.lastSeenMillis();
      String state = !w.online() ? "offline" : ago > STALE_AFTER_MILLIS ? "stale" : "online";
      DashboardStats.Tally t = stats.tallies.get(w.workerId());
      workers
          .addObject()
          .put("id", w.workerId())
          .put("state", state)
          .put("usable", usable.contains(w.workerId()))
          .put("gflops", w.gflopsPerSecond())
          .put("secondsPerGflop", w.secondsPerGflop())
          .put("overheadMs", w.overheadMillis())
          .put("cores", w.cores())
          .put("load", w.load())
          .put("inFlight", w.tilesInFlight())
          .put("lastSeenAgoMs", Math.max(0, ago))
          .put("model", w.model())
          .put("tiles", t == null ? 0 : t.tiles)
          .put("avgBandMs", t == null || t.tiles == 0 ? 0 : t.computeMs / t.tiles)
          .put("lastActualMs", t == null ? 0 : t.lastActualMs)
          .put("lastPredictedMs", t == null ? 0 : t.lastPredictedMs);
    }
  }

  /** Latency and throughput: buckets over the last minutes, oldest first, and the last minute. */
  private static void series(ObjectNode s, LatencySeries.Buckets b) {
    ObjectNode series = s.putObject("series");
    series
        .put("bucketSeconds", LatencySeries.BUCKET_SECONDS)
        .put("start", b.startMillis())
        .put("end", b.endMillis());
    ArrayNode points = series.putArray("points");
    for (LatencySeries.Stretch p : b.points()) {
      percentiles(
          points
              .addObject()
              .put("t", p.startMillis())
              .put("n", p.frames())
              .put("fps", p.framesPerSecond()),
          p);
    }
    LatencySeries.Stretch m = b.lastMinute();
    percentiles(s.putObject("lastMinute").put("n", m.frames()).put("fps", m.framesPerSecond()), m);
  }

  private static void percentiles(ObjectNode n, LatencySeries.Stretch p) {
    if (p.p50() != null) {
      n.put("p50", p.p50()).put("p95", p.p95());
    }
  }

  private static boolean safe(BooleanSupplier b) {
    try {
      return b.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
