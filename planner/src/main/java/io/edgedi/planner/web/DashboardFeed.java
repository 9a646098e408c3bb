package io.edgedi.planner.web;

import io.edgedi.transport.metrics.Percentiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.edgedi.planner.FrameReport;
import io.edgedi.planner.PlannerListener;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard shows, kept up to date from planner events and the cluster view, and pushed
 * to browsers as server-sent events.
 *
 * <p>Listener calls only enqueue (a full queue drops the report for the dashboard and counts it);
 * one feed thread turns reports into JSON and PNG, keeps the statistics and writes to every
 * connected browser. Events on {@code /api/events}: {@code state} (the whole picture, with the
 * recent frames, right after connecting; then every second without them) and {@code frame} (one
 * classified frame, as soon as it is done). {@code /api/state} answers the same whole picture.
 */
public final class DashboardFeed implements PlannerListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
  public static final int RECENT_FRAMES = 12;
  static final int BUCKET_SECONDS = 5;
  static final int SERIES_SECONDS = 300;
  private static final long STALE_AFTER_MILLIS = 5_000;
  private static final int MAX_SAMPLES = 50_000;
  private static final int MAX_INCIDENTS = 10;

  /** The planner's side of things, as functions so tests need no broker. */
  public record Source(Supplier<List<WorkerStatus>> workers, Supplier<List<WorkerStatus>> usable,
                       BooleanSupplier connected, IntSupplier queued, Map<String, String> info) {}

  private record View(String id, ObjectNode json, byte[] png) {}

  private record Sample(long atMillis, double latencyMs) {}

  private static final class Tally {
    long tiles;
    double computeMs;
    double lastActualMs;
    double lastPredictedMs;
  }

  private static final class Client {
    final HttpExchange exchange;
    final OutputStream out;
    boolean greeted;

    Client(HttpExchange exchange) {
      this.exchange = exchange;
      this.out = exchange.getResponseBody();
    }
  }

  private final ObjectMapper mapper = new ObjectMapper();
  private final Source source;
  private final LongSupplier clock;
  private final BlockingQueue<Object> inbox = new ArrayBlockingQueue<>(256);
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong replans = new AtomicLong();
  private volatile boolean running = true;

  // Owned by the feed thread; read under 'this' by state().
  private final Deque<View> recent = new ArrayDeque<>();
  private final Deque<Sample> samples = new ArrayDeque<>();
  private final Map<String, Map<String, Long>> classes = new TreeMap<>();
  private final Map<String, Tally> tallies = new TreeMap<>();
  private final Map<String, Long> rejected = new TreeMap<>();
  private final Deque<ObjectNode> incidents = new ArrayDeque<>();
  private List<String> classNames = List.of();
  private long classified;

  private record Incident(long atMillis, String kind, String frameId, String reason) {}

  public DashboardFeed(Source source) {
    this(source, System::currentTimeMillis);
  }

  DashboardFeed(Source source, LongSupplier clock) {
    this.source = source;
    this.clock = clock;
    this.thread = new Thread(this::loop, "dashboard-feed");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  // ---- planner events (orchestration thread: enqueue only) ----

  @Override
  public void onClassified(FrameReport report) {
    offer(report);
  }

  @Override
  public void onFrameFailed(String frameId, String reason, boolean willRetry) {
    (willRetry ? replans : failed).incrementAndGet();
    offer(new Incident(clock.getAsLong(), willRetry ? "replan" : "failed", frameId, reason));
  }

  @Override
  public void onRejected(String reason) {
    offer(new Incident(clock.getAsLong(), "rejected", null, reason));
  }

  private void offer(Object event) {
    if (!inbox.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  // ---- browsers ----

  /** Takes over the exchange as an event stream; the feed thread writes to it from now on. */
  public void subscribe(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.getResponseHeaders().set("X-Accel-Buffering", "no");
    ex.sendResponseHeaders(200, 0);
    clients.add(new Client(ex));
    inbox.offer(Boolean.TRUE); // wake the feed thread to greet it
  }

  public int clients() {
    return clients.size();
  }

  /** The PNG of a recent frame, or null. */
  public synchronized byte[] png(String frameId) {
    for (View v : recent) {
      if (v.id().equals(frameId)) {
        return v.png();
      }
    }
    return null;
  }

  /** The whole picture as JSON; with the recent frames (newest first) if asked. */
  public String stateJson(boolean withFrames) {
    try {
      return mapper.writeValueAsString(state(withFrames));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- the feed thread ----

  private void loop() {
    long lastState = 0;
    while (running) {
      try {
        Object e = inbox.poll(250, TimeUnit.MILLISECONDS);
        while (e != null) {
          handle(e);
          e = inbox.poll();
        }
        greetNewClients();
        long now = clock.getAsLong();
        if (now - lastState >= 1000) {
          lastState = now;
          if (!clients.isEmpty()) {
            send("state", stateJson(false));
          }
        }
      } catch (InterruptedException ie) {
        return;
      } catch (RuntimeException re) {
        LOG.warn("dashboard feed: {}", re.toString(), re);
      }
    }
  }

  private void handle(Object e) {
    if (e instanceof FrameReport r) {
      View v;
      synchronized (this) {
        v = view(r);
        recent.addFirst(v);
        while (recent.size() > RECENT_FRAMES) {
          recent.removeLast();
        }
      }
      send("frame", v.json().toString());
    } else if (e instanceof Incident i) {
      synchronized (this) {
        if ("rejected".equals(i.kind())) {
          rejected.merge(i.reason(), 1L, Long::sum);
        }
        ObjectNode n = mapper.createObjectNode().put("at", i.atMillis()).put("kind", i.kind())
            .put("frame", i.frameId()).put("reason", i.reason());
        incidents.addFirst(n);
        while (incidents.size() > MAX_INCIDENTS) {
          incidents.removeLast();
        }
      }
    }
  }

  private void greetNewClients() {
    String full = null;
    for (Client c : clients) {
      if (!c.greeted) {
        if (full == null) {
          full = stateJson(true);
        }
        c.greeted = true;
        write(c, "retry: 2000\n\n" + event("state", full));
      }
    }
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  /** To every greeted browser (a new one's greeting already carries everything up to now). */
  private void send(String name, String data) {
    String text = event(name, data);
    for (Client c : clients) {
      if (c.greeted) {
        write(c, text);
      }
    }
  }

  private void write(Client c, String text) {
    try {
      c.out.write(text.getBytes(StandardCharsets.UTF_8));
      c.out.flush();
    } catch (IOException e) {
      drop(c);
    }
  }

  private void drop(Client c) {
    clients.remove(c);
    try {
      c.exchange.close();
    } catch (RuntimeException e) {
      LOG.debug("closing an event stream: {}", e.toString());
    }
  }

  private View view(FrameReport r) {
    Frame f = r.frame();
    Classification c = r.classification();
    long now = clock.getAsLong();
    double latencyMs = (c.getClassifiedAtMicros() - c.getReceivedAtMicros()) / 1000.0;
    ObjectNode j = mapper.createObjectNode();
    j.put("id", f.getFrameId()).put("line", c.getLine()).put("camera", c.getCamera())
        .put("sequence", f.getSequence()).put("label", c.getLabel()).put("className", c.getClassName())
        .put("classIndex", c.getClassIndex()).put("confidence", c.getConfidence())
        .put("trusted", c.getTrusted()).put("repeat", c.getRepeat())
        .put("latencyMs", latencyMs).put("queueMs", c.getQueueMicros() / 1000.0)
        .put("computeMs", c.getComputeMicros() / 1000.0).put("transferMs", c.getTransferMicros() / 1000.0)
        .put("planId", c.getPlanId()).put("planner", r.plan().plannerName()).put("at", now)
        .put("width", f.getWidth()).put("height", f.getHeight())
        .put("image", "api/frames/" + URLEncoder.encode(f.getFrameId(), StandardCharsets.UTF_8) + ".png");
    ArrayNode reasons = j.putArray("untrustedReasons");
    c.getUntrustedReasons().forEach(reason -> reasons.add(reason.toString()));
    ArrayNode names = j.putArray("classNames");
    c.getClassNames().forEach(names::add);
    ArrayNode scores = j.putArray("scores");
    c.getScores().forEach(scores::add);
    ArrayNode stages = j.putArray("stages");
    List<AssignedStage> plan = r.plan().stages();
    synchronized (this) {
      for (int s = 0; s < plan.size(); s++) {
        AssignedStage st = plan.get(s);
        long[] actual = s < r.bandComputeMicros().size() ? r.bandComputeMicros().get(s) : new long[0];
        ObjectNode sn = stages.addObject().put("from", st.stage().from()).put("to", st.stage().to())
            .put("height", st.bands().get(st.bands().size() - 1).end());
        ArrayNode bands = sn.putArray("bands");
        for (int b = 0; b < st.bands().size(); b++) {
          String w = st.workers().get(b);
          double act = b < actual.length ? actual[b] / 1000.0 : -1;
          double pred = st.predictedMillis().get(b);
          bands.addObject().put("worker", w).put("start", st.bands().get(b).start())
              .put("end", st.bands().get(b).end()).put("predictedMs", pred).put("actualMs", act);
          Tally t = tallies.computeIfAbsent(w, k -> new Tally());
          t.tiles++;
          if (act >= 0) {
            t.computeMs += act;
            t.lastActualMs = act;
            t.lastPredictedMs = pred;
          }
        }
      }
      classified++;
      classNames = List.copyOf(c.getClassNames());
      classes.computeIfAbsent(c.getLine(), k -> new TreeMap<>()).merge(c.getClassName(), 1L, Long::sum);
      samples.addLast(new Sample(now, latencyMs));
      while (samples.size() > MAX_SAMPLES
          || (!samples.isEmpty() && samples.peekFirst().atMillis() < now - SERIES_SECONDS * 1000L)) {
        samples.removeFirst();
      }
    }
    return new View(f.getFrameId(), j, png(f));
  }

  /** The frame's first channel as an 8-bit gray PNG. */
  static byte[] png(Frame f) {
    int w = f.getWidth();
    int h = f.getHeight();
    int ch = Math.max(1, f.getChannels());
    ByteBuffer px = f.getPixels().duplicate();
    byte[] gray = new byte[w * h];
    for (int i = 0; i < gray.length && px.remaining() >= ch; i++) {
      gray[i] = px.get();
      px.position(px.position() + ch - 1);
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setDataElements(0, 0, w, h, gray);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private synchronized ObjectNode state(boolean withFrames) {
    long now = clock.getAsLong();
    ObjectNode s = mapper.createObjectNode();
    s.put("now", now);
    ObjectNode info = s.putObject("info");
    source.info().forEach(info::put);
    s.put("broker", safe(source.connected()));
    s.put("queued", source.queued().getAsInt());
    s.put("clients", clients.size());
    ObjectNode totals = s.putObject("totals");
    totals.put("classified", classified).put("failed", failed.get()).put("replans", replans.get())
        .put("rejected", rejected.values().stream().mapToLong(Long::longValue).sum())
        .put("droppedByDashboard", dropped.get());
    ObjectNode rj = s.putObject("rejected");
    rejected.forEach(rj::put);

    Set<String> usable = new HashSet<>();
    for (WorkerStatus w : source.usable().get()) {
      usable.add(w.workerId());
    }
    ArrayNode workers = s.putArray("workers");
    for (WorkerStatus w : source.workers().get()) {
      long ago = now - w.lastSeenMillis();
      String state = !w.online() ? "offline" : ago > STALE_AFTER_MILLIS ? "stale" : "online";
      Tally t = tallies.get(w.workerId());
      workers.addObject().put("id", w.workerId()).put("state", state)
          .put("usable", usable.contains(w.workerId())).put("gflops", w.gflopsPerSecond())
          .put("secondsPerGflop", w.secondsPerGflop()).put("overheadMs", w.overheadMillis())
          .put("cores", w.cores()).put("load", w.load()).put("inFlight", w.tilesInFlight())
          .put("lastSeenAgoMs", Math.max(0, ago)).put("model", w.model())
          .put("tiles", t == null ? 0 : t.tiles)
          .put("avgBandMs", t == null || t.tiles == 0 ? 0 : t.computeMs / t.tiles)
          .put("lastActualMs", t == null ? 0 : t.lastActualMs)
          .put("lastPredictedMs", t == null ? 0 : t.lastPredictedMs);
    }

    // Latency and throughput: 5-second buckets over the last 5 minutes, oldest first.
    int buckets = SERIES_SECONDS / BUCKET_SECONDS;
    long end = (now / 1000 / BUCKET_SECONDS + 1) * BUCKET_SECONDS * 1000L;
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
      if (x.atMillis() >= now - 60_000) {
        lastMinute.add(x.latencyMs());
      }
    }
    ObjectNode series = s.putObject("series");
    series.put("bucketSeconds", BUCKET_SECONDS).put("start", start).put("end", end);
    ArrayNode points = series.putArray("points");
    for (int i = 0; i < buckets; i++) {
      List<Double> l = byBucket.get(i);
      ObjectNode p = points.addObject().put("t", start + i * BUCKET_SECONDS * 1000L).put("n", l.size())
          .put("fps", l.size() / (double) BUCKET_SECONDS);
      if (!l.isEmpty()) {
        p.put("p50", Percentiles.of(l, 50)).put("p95", Percentiles.of(l, 95));
      }
    }
    ObjectNode minute = s.putObject("lastMinute");
    minute.put("n", lastMinute.size()).put("fps", lastMinute.size() / 60.0);
    if (!lastMinute.isEmpty()) {
      minute.put("p50", Percentiles.of(lastMinute, 50)).put("p95", Percentiles.of(lastMinute, 95));
    }

    ArrayNode cn = s.putArray("classNames");
    classNames.forEach(cn::add);
    ObjectNode cl = s.putObject("classes");
    classes.forEach((line, counts) -> {
      ObjectNode l = cl.putObject(line);
      counts.forEach(l::put);
    });
    ArrayNode inc = s.putArray("incidents");
    incidents.forEach(inc::add);
    if (withFrames) {
      ArrayNode frames = s.putArray("frames");
      recent.forEach(v -> frames.add(v.json()));
    }
    return s;
  }

  private static boolean safe(BooleanSupplier b) {
    try {
      return b.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  static Map<String, String> info(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Client c : clients) {
      drop(c);
    }
  }
}
