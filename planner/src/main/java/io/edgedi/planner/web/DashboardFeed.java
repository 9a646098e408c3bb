package io.edgedi.planner.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.edgedi.planner.FrameReport;
import io.edgedi.planner.PlannerListener;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.schemas.codec.RejectReason;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard shows, kept up to date from planner events and the cluster view, and pushed to
 * browsers as server-sent events.
 *
 * <p>Listener calls only enqueue (a full queue drops the report for the dashboard and counts it):
 * they come from the planner's threads, which must not wait for PNG encoding or a slow browser. One
 * feed thread turns reports into JSON ({@link FrameJson}) and PNG ({@link FramePng}), keeps the
 * statistics ({@link DashboardStats}) and writes to every connected browser ({@link EventStreams}).
 * Events on {@code /api/events}: {@code state} (the whole picture, {@link StateJson}, with the
 * recent frames, right after connecting; then every second without them) and {@code frame} (one
 * classified frame, as soon as it is done). {@code /api/state} answers the same whole picture.
 */
public final class DashboardFeed implements PlannerListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
  public static final int RECENT_FRAMES = 12;

  /** The planner's side of things, as functions so tests need no broker. */
  public record Source(
      Supplier<List<WorkerStatus>> workers,
      Supplier<List<WorkerStatus>> usable,
      BooleanSupplier connected,
      IntSupplier queued,
      Map<String, String> info) {}

  private record View(String id, ObjectNode json, byte[] png) {}

  private final ObjectMapper mapper = new ObjectMapper();
  private final Source source;
  private final LongSupplier clock;
  private final BlockingQueue<Object> inbox = new ArrayBlockingQueue<>(256);
  private final EventStreams browsers = new EventStreams();
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong replans = new AtomicLong();
  private volatile boolean running = true;

  // Written by the feed thread, read by state requests: both under stats' lock.
  private final DashboardStats stats = new DashboardStats();
  private final Deque<View> recent = new ArrayDeque<>();

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
    offer(
        new DashboardStats.Incident(
            clock.getAsLong(), willRetry ? "replan" : "failed", frameId, reason));
  }

  @Override
  public void onRejected(RejectReason reason) {
    offer(new DashboardStats.Incident(clock.getAsLong(), "rejected", null, reason.name()));
  }

  private void offer(Object event) {
    if (!inbox.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  // ---- browsers ----

  /** Takes over the exchange as an event stream; the feed thread writes to it from now on. */
  public void subscribe(HttpExchange ex) throws IOException {
    browsers.add(ex);
    inbox.offer(Boolean.TRUE); // wake the feed thread to greet it
  }

  public int clients() {
    return browsers.size();
  }

  /** The PNG of a recent frame, or null. */
  public byte[] png(String frameId) {
    synchronized (stats) {
      for (View v : recent) {
        if (v.id().equals(frameId)) {
          return v.png();
        }
      }
      return null;
    }
  }

  /** The whole picture as JSON; with the recent frames (newest first) if asked. */
  public String stateJson(boolean withFrames) {
    ObjectNode state;
    synchronized (stats) {
      List<ObjectNode> frames = withFrames ? recent.stream().map(View::json).toList() : null;
      state =
          StateJson.of(
              mapper,
              clock.getAsLong(),
              source,
              stats,
              new StateJson.Feed(
                  browsers.size(), failed.get(), replans.get(), dropped.get(), frames));
    }
    try {
      return mapper.writeValueAsString(state);
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
        browsers.greet("state", () -> stateJson(true));
        long now = clock.getAsLong();
        if (now - lastState >= 1000) {
          lastState = now;
          if (!browsers.isEmpty()) {
            browsers.send("state", stateJson(false));
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
      long now = clock.getAsLong();
      View v =
          new View(r.frame().getFrameId(), FrameJson.of(mapper, r, now), FramePng.of(r.frame()));
      synchronized (stats) {
        stats.classified(r, now);
        recent.addFirst(v);
        while (recent.size() > RECENT_FRAMES) {
          recent.removeLast();
        }
      }
      browsers.send("frame", v.json().toString());
    } else if (e instanceof DashboardStats.Incident i) {
      synchronized (stats) {
        stats.incident(i);
      }
    }
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
    browsers.closeAll();
  }
}
