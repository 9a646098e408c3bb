package io.edgedi.cli.emulate;

import io.edgedi.planner.FrameReport;
import io.edgedi.planner.PlannerListener;
import io.edgedi.planner.aggregate.ReduceRound;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Clock;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the camera for the benchmark and hears back from the planner in the same JVM (as a {@link
 * PlannerListener}, so one clock measures both ends): one frame at a time for latency, or a burst
 * for throughput at saturation.
 */
public final class FrameDriver implements PlannerListener {
  private static final String LINE = "line1";
  private static final String CAMERA = "cam1";

  /**
   * Per-frame latencies (ms) and failures of a sequential run, how many workers each classified
   * frame's plan used (1 = the planner ran the whole frame on one worker), and the reduce rounds of
   * each classified frame (empty lists for frames that were not split); {@code sent} is each
   * classified frame's place in the sequence (0-based), to tell interleaved arms apart; {@code
   * plannerBytes} what went through the planner for each (tasks out, results in).
   */
  public record Sequential(
      List<Double> latencies,
      int failed,
      List<Integer> workersUsed,
      List<List<ReduceRound>> reduceRounds,
      List<Integer> sent,
      List<Double> predicted,
      List<Long> plannerBytes) {
    /** The frames sent at places {@code place % 2 == parity}. */
    public Sequential arm(int parity) {
      List<Double> l = new ArrayList<>();
      List<Integer> u = new ArrayList<>();
      List<List<ReduceRound>> r = new ArrayList<>();
      List<Integer> s = new ArrayList<>();
      List<Double> p = new ArrayList<>();
      List<Long> b = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        if (sent.get(i) % 2 == parity) {
          l.add(latencies.get(i));
          u.add(workersUsed.get(i));
          r.add(reduceRounds.get(i));
          s.add(sent.get(i));
          p.add(predicted.get(i));
          b.add(plannerBytes.get(i));
        }
      }
      return new Sequential(l, failed, u, r, s, p, b);
    }
  }

  /**
   * A burst: frames classified, failed, and classified per second from the first send to the last
   * result.
   */
  public record Burst(int classified, int failed, double framesPerSecond, double seconds) {}

  private final MqttLink camera;
  private final Topics topics;
  private final int height;
  private final int width;
  private final MessageCodec<Frame> codec = Wire.FRAME.codec();
  private final SplittableRandom random;
  private final Map<String, Double> latency = new ConcurrentHashMap<>();
  private final Map<String, Long> doneAtMicros = new ConcurrentHashMap<>();
  private final Map<String, Integer> workersUsed = new ConcurrentHashMap<>();
  private final Map<String, List<ReduceRound>> rounds = new ConcurrentHashMap<>();
  private final Map<String, Double> predictedMillis = new ConcurrentHashMap<>();
  private final Map<String, Long> plannerBytes = new ConcurrentHashMap<>();
  private final Set<String> failed = ConcurrentHashMap.newKeySet();
  private final Object signal = new Object();
  private final String prefix;
  private long sequence;

  public FrameDriver(
      MqttLink camera, Topics topics, int height, int width, long seed, String prefix) {
    this.camera = camera;
    this.topics = topics;
    this.height = height;
    this.width = width;
    this.random = new SplittableRandom(seed);
    this.prefix = prefix;
  }

  @Override
  public void onClassified(FrameReport report) {
    var c = report.classification();
    workersUsed.put(
        c.getFrameId(),
        (int)
            report.plan().stages().stream().flatMap(s -> s.workers().stream()).distinct().count());
    rounds.put(c.getFrameId(), report.reduceRounds());
    plannerBytes.put(c.getFrameId(), report.plannerBytes());
    // What the planner's cost model expected: every stage takes its slowest band's prediction.
    predictedMillis.put(
        c.getFrameId(),
        report.plan().stages().stream()
            .mapToDouble(
                st ->
                    st.predictedMillis().stream().mapToDouble(Double::doubleValue).max().orElse(0))
            .sum());
    latency.put(c.getFrameId(), (c.getClassifiedAtMicros() - c.getCapturedAtMicros()) / 1000.0);
    doneAtMicros.put(c.getFrameId(), Clock.micros());
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  @Override
  public void onFrameFailed(String frameId, String reason, boolean willRetry) {
    if (!willRetry) {
      failed.add(frameId);
      synchronized (signal) {
        signal.notifyAll();
      }
    }
  }

  private String send() throws Exception {
    String id = prefix + "-" + (++sequence);
    byte[] px = new byte[height * width];
    random.nextBytes(px);
    Frame f =
        Frame.newBuilder()
            .setFrameId(id)
            .setSite(topics.site())
            .setLine(LINE)
            .setCamera(CAMERA)
            .setSequence(sequence)
            .setCapturedAtMicros(Clock.micros())
            .setWidth(width)
            .setHeight(height)
            .setChannels(1)
            .setPixels(ByteBuffer.wrap(px))
            .setLabel(null)
            .build();
    camera.publish(topics.frames(LINE, CAMERA), codec.encode(f), false);
    return id;
  }

  private boolean waitFor(List<String> ids, long deadlineMillis) throws InterruptedException {
    synchronized (signal) {
      while (true) {
        boolean all = true;
        for (String id : ids) {
          if (!latency.containsKey(id) && !failed.contains(id)) {
            all = false;
            break;
          }
        }
        if (all) {
          return true;
        }
        long left = deadlineMillis - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        signal.wait(Math.min(left, 200));
      }
    }
  }

  /** {@code n} frames, each sent once the previous one is classified (or failed, or timed out). */
  public Sequential sequential(int n, long timeoutPerFrameMillis) throws Exception {
    return sequential(n, timeoutPerFrameMillis, i -> {});
  }

  /**
   * As {@link #sequential(int, long)}, telling {@code beforeFrame} each frame's place before it is
   * sent.
   */
  public Sequential sequential(
      int n, long timeoutPerFrameMillis, java.util.function.IntConsumer beforeFrame)
      throws Exception {
    List<Double> out = new ArrayList<>();
    List<Integer> used = new ArrayList<>();
    List<List<ReduceRound>> reduces = new ArrayList<>();
    List<Integer> sent = new ArrayList<>();
    List<Double> predicted = new ArrayList<>();
    List<Long> bytes = new ArrayList<>();
    int lost = 0;
    for (int i = 0; i < n; i++) {
      beforeFrame.accept(i);
      String id = send();
      waitFor(List.of(id), System.currentTimeMillis() + timeoutPerFrameMillis);
      Double ms = latency.get(id);
      if (ms == null) {
        lost++;
      } else {
        out.add(ms);
        used.add(workersUsed.getOrDefault(id, 0));
        reduces.add(rounds.getOrDefault(id, List.of()));
        sent.add(i);
        predicted.add(predictedMillis.getOrDefault(id, 0.0));
        bytes.add(plannerBytes.getOrDefault(id, 0L));
      }
    }
    return new Sequential(out, lost, used, reduces, sent, predicted, bytes);
  }

  /** {@code n} frames sent back to back; waits for all of them. */
  public Burst burst(int n, long timeoutMillis) throws Exception {
    List<String> ids = new ArrayList<>();
    long start = Clock.micros();
    for (int i = 0; i < n; i++) {
      ids.add(send());
    }
    waitFor(ids, System.currentTimeMillis() + timeoutMillis);
    int ok = 0;
    long last = start;
    for (String id : ids) {
      Long t = doneAtMicros.get(id);
      if (t != null) {
        ok++;
        last = Math.max(last, t);
      }
    }
    double seconds = (last - start) / 1e6;
    return new Burst(ok, n - ok, seconds > 0 ? ok / seconds : 0, seconds);
  }
}
