package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import io.edgedi.cluster.Await;
import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.MonolithicInference;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.Planner;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Clock;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A camera and an MES on a {@link ClusterFixture}: publishes labelled synthetic frames, counts what
 * comes back on the classification topic, and checks it against monolithic inference.
 */
final class LineFixture implements AutoCloseable {
  private static final AtomicInteger RUNS = new AtomicInteger();
  private final Topics topics = new Topics(ClusterFixture.SITE);
  private final MessageCodec<Frame> frames = Wire.FRAME.codec();
  private final MessageCodec<Classification> results = Wire.CLASSIFICATION.codec();
  private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();

  /** Every classification message received, repeats included. */
  private final AtomicLong received = new AtomicLong();

  private final ClusterFixture cluster;
  private final Map<String, Classification> byFrame = new ConcurrentHashMap<>();
  private final Map<String, Frame> sent = new LinkedHashMap<>();
  private final MqttLink mes;
  private final MqttLink camera;
  private final String run =
      "t" + RUNS.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);

  LineFixture(ClusterFixture cluster) throws Exception {
    this.cluster = cluster;
    mes = new MqttLink(cluster.settings("mes", "mes-" + run));
    mes.connect(null, false);
    mes.subscribe(
        topics.allClassifications(),
        (topic, payload) -> {
          try {
            Classification c = results.decode(payload);
            // A repeat after a planner failover says so, and MES keeps the first: count the
            // unmarked.
            if (!c.getRepeat() || !byFrame.containsKey(c.getFrameId())) {
              deliveries.merge(c.getFrameId(), 1, Integer::sum);
            }
            byFrame.putIfAbsent(c.getFrameId(), c);
            received.incrementAndGet();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    camera = new MqttLink(cluster.settings("camera", "camera-" + run));
    camera.connect(null, false);
  }

  void publish(int count) throws Exception {
    SyntheticDefectGenerator gen = new SyntheticDefectGenerator();
    for (int i = 0; i < count; i++) {
      int n = sent.size();
      DefectClass kind = DefectClass.ofIndex(n % 6);
      GrayImage img = gen.generate(kind, 1000 + n);
      String id = "cam1-" + run + "-" + n;
      Frame f =
          Frame.newBuilder()
              .setFrameId(id)
              .setSite(ClusterFixture.SITE)
              .setLine("line1")
              .setCamera("cam1")
              .setSequence(n)
              .setCapturedAtMicros(Clock.micros())
              .setWidth(200)
              .setHeight(200)
              .setChannels(1)
              .setPixels(ByteBuffer.wrap(img.pixels()))
              .setLabel(kind.folderName())
              .build();
      sent.put(id, f);
      publishUntilAccepted(frames.encode(f));
    }
  }

  /** As the camera gateway does: a broker that is away delays a frame, it never drops it. */
  private void publishUntilAccepted(byte[] payload) throws Exception {
    Await.orFail(
        () -> {
          try {
            camera.publish(topics.frames("line1", "cam1"), payload, false);
            return true;
          } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            return false;
          }
        },
        60_000,
        () -> "broker did not come back");
  }

  int classified() {
    return byFrame.size();
  }

  boolean awaitClassified(int count, long timeoutMillis) throws Exception {
    return Await.until(() -> byFrame.size() >= count, timeoutMillis);
  }

  /**
   * Every frame sent came back exactly once (again only if marked as a repeat) and equals
   * monolithic inference of it.
   */
  void assertEveryFrameExactlyOnceAndExact(FoldedWeights weights, long timeoutMillis)
      throws Exception {
    // Settled: every frame is back, no planner has a frame waiting, and every classification the
    // planners counted as published has arrived, so no duplicate can still be on its way.
    Await.until(() -> byFrame.keySet().containsAll(sent.keySet()) && settled(), timeoutMillis);
    for (String id : sent.keySet()) {
      assertTrue(byFrame.containsKey(id), "frame " + id + " lost; got " + byFrame.keySet());
      assertEquals(
          1, deliveries.get(id), "frame " + id + " classified " + deliveries.get(id) + " times");
    }
    assertExact(weights, sent, byFrame);
  }

  /**
   * Each frame's classification in {@code got} equals monolithic inference of the frame to 1e-4.
   */
  static void assertExact(
      FoldedWeights weights, Map<String, Frame> frames, Map<String, Classification> got) {
    try (MonolithicInference local = new MonolithicInference(weights)) {
      for (Frame f : frames.values()) {
        float[] want = local.runGray(f.getHeight(), f.getWidth(), f.getPixels()).logits();
        List<Float> logits = got.get(f.getFrameId()).getLogits();
        float[] g = new float[logits.size()];
        for (int i = 0; i < g.length; i++) {
          g[i] = logits.get(i);
        }
        double diff = ExactnessCheck.maxAbsDiff(want, g);
        assertTrue(diff <= 1e-4, f.getFrameId() + " differs from monolithic by " + diff);
      }
    }
  }

  /** The ids of the frames published, in order. */
  List<String> sentIds() {
    return List.copyOf(sent.keySet());
  }

  /**
   * True when no live planner holds a frame and MES has every classification the planners
   * published.
   */
  private boolean settled() {
    long published = 0;
    for (Planner p : cluster.planners()) {
      if (p.connected() && p.queued() > 0) {
        return false;
      }
      published += p.classified();
    }
    return received.get() >= published;
  }

  Map<String, Classification> byFrame() {
    return byFrame;
  }

  @Override
  public void close() {
    mes.close();
    camera.close();
  }
}
