package io.edgedi.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.source.DropFolderSource;
import io.edgedi.camera.source.FrameSource;
import io.edgedi.camera.source.ImageLoader;
import io.edgedi.camera.source.SizePolicy;
import io.edgedi.camera.source.SourceError;
import io.edgedi.camera.source.SourceImage;
import io.edgedi.camera.source.SourceItem;
import io.edgedi.camera.source.SyntheticSource;
import io.edgedi.camera.source.TestImages;
import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Wire;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CameraGatewayTest {
  /** Records what was "published"; optionally fails the first attempts at given frames. */
  private static final class FakePublisher implements FramePublisher {
    final List<Frame> published = new CopyOnWriteArrayList<>();
    final List<String> attempts = new CopyOnWriteArrayList<>();
    final Deque<Exception> failures = new ArrayDeque<>();
    volatile boolean alwaysFail;

    @Override
    public synchronized void publish(Frame frame) throws Exception {
      attempts.add(frame.getFrameId());
      if (alwaysFail) {
        throw new java.io.IOException("broker down");
      }
      Exception e = failures.poll();
      if (e != null) {
        throw e;
      }
      published.add(frame);
    }

    @Override
    public String destination(Frame frame) {
      return "frames/" + frame.getCamera();
    }
  }

  private record Report(
      RejectReason reason, String message, String payloadId, String topic, int bytes) {}

  /** A source replaying fixed items, recording done() calls. */
  private static final class ListSource implements FrameSource {
    final Deque<SourceItem> items;
    final List<String> done = Collections.synchronizedList(new ArrayList<>());

    ListSource(List<SourceItem> items) {
      this.items = new ArrayDeque<>(items);
    }

    @Override
    public synchronized Optional<SourceItem> next() {
      return Optional.ofNullable(items.poll());
    }

    @Override
    public void done(SourceImage image, boolean published) {
      done.add((published ? "ok:" : "failed:") + image.origin());
    }

    @Override
    public void close() {}
  }

  private static CameraGateway.Builder gateway(FramePublisher p, FrameSource s) {
    return CameraGateway.builder(p, s)
        .site("plant1")
        .line("line-a")
        .camera("cam1")
        .backoff(Duration.ofMillis(5), Duration.ofMillis(40));
  }

  private static SourceImage image(String origin, String label, long seed) {
    return new SourceImage(TestImages.synthetic(DefectClass.PATCHES, seed, 20, 10), label, origin);
  }

  @Test
  void publishesEveryImageInOrderWithIdsLabelsAndPixels() throws Exception {
    FakePublisher pub = new FakePublisher();
    List<Frame> heard = new ArrayList<>();
    List<SourceImage> expected = new ArrayList<>();
    SyntheticSource reference = new SyntheticSource(11, 8);
    for (Optional<SourceItem> i = reference.next(); i.isPresent(); i = reference.next()) {
      expected.add((SourceImage) i.get());
    }
    CameraGateway.Stats stats;
    try (CameraGateway gw =
        gateway(pub, new SyntheticSource(11, 8))
            .listener(heard::add)
            .clockMicros(() -> 1234L)
            .build()) {
      stats = gw.run();
    }
    assertEquals(new CameraGateway.Stats(8, 0, 0, 0), stats);
    assertEquals(8, pub.published.size());
    assertEquals(pub.published, heard);
    for (int i = 0; i < 8; i++) {
      Frame f = pub.published.get(i);
      assertEquals(i, f.getSequence());
      assertTrue(
          f.getFrameId().startsWith("cam1-") && f.getFrameId().endsWith("-" + i), f.getFrameId());
      assertEquals("plant1", f.getSite());
      assertEquals("line-a", f.getLine());
      assertEquals("cam1", f.getCamera());
      assertEquals(1, f.getChannels());
      assertEquals(200, f.getWidth());
      assertEquals(200, f.getHeight());
      assertEquals(1234L, f.getCapturedAtMicros());
      assertEquals(MessageCodec.SCHEMA_VERSION, f.getSchemaVersion());
      assertEquals(expected.get(i).label(), f.getLabel());
      assertArrayEquals(expected.get(i).image().pixels(), bytes(f.getPixels()));
    }
  }

  @Test
  void failingPublishIsRetriedUntilItSucceedsOnceAndInOrder() throws Exception {
    FakePublisher pub = new FakePublisher();
    pub.failures.add(new java.io.IOException("connection lost"));
    pub.failures.add(new org.eclipse.paho.mqttv5.common.MqttException(32104));
    ListSource src =
        new ListSource(List.of(image("a", "patches", 1), image("b", null, 2), image("c", null, 3)));
    CameraGateway gw = gateway(pub, src).build();
    CameraGateway.Stats stats = gw.run();
    assertEquals(new CameraGateway.Stats(3, 0, 2, 0), stats);
    List<String> ids = pub.published.stream().map(Frame::getFrameId).toList();
    assertEquals(3, ids.size());
    // The first frame was attempted three times with the same id, then the rest once each.
    assertEquals(List.of(ids.get(0), ids.get(0), ids.get(0), ids.get(1), ids.get(2)), pub.attempts);
    assertEquals(List.of(0L, 1L, 2L), pub.published.stream().map(Frame::getSequence).toList());
    assertEquals("patches", pub.published.get(0).getLabel());
    assertNull(pub.published.get(1).getLabel());
    assertEquals(List.of("ok:a", "ok:b", "ok:c"), src.done);
  }

  @Test
  void sourceErrorsAreReportedAndUseNoSequenceNumber() throws Exception {
    FakePublisher pub = new FakePublisher();
    List<Report> reports = new ArrayList<>();
    List<String> rejectedOrigins = new ArrayList<>();
    ListSource src =
        new ListSource(
            List.of(
                image("a", null, 1),
                new SourceError("bad.bmp", RejectReason.UNREADABLE, "cannot decode bad.bmp", 17),
                image("b", null, 2)));
    CameraGateway gw =
        gateway(pub, src)
            .errors((r, m, id, t, n) -> reports.add(new Report(r, m, id, t, n)))
            .listener(
                new FrameListener() {
                  @Override
                  public void onPublished(Frame frame) {}

                  @Override
                  public void onRejected(RejectReason reason, String message, String origin) {
                    rejectedOrigins.add(origin);
                  }
                })
            .build();
    gw.run();
    assertEquals(2, gw.published());
    assertEquals(1, gw.rejected());
    assertEquals(
        List.of(new Report(RejectReason.UNREADABLE, "cannot decode bad.bmp", "bad.bmp", null, 17)),
        reports);
    assertEquals(List.of("bad.bmp"), rejectedOrigins);
    assertEquals(List.of(0L, 1L), pub.published.stream().map(Frame::getSequence).toList());
  }

  @Test
  void undeliverableFrameIsReportedNotRetried() throws Exception {
    FakePublisher pub = new FakePublisher();
    pub.failures.add(new IllegalArgumentException("too large"));
    List<Report> reports = new ArrayList<>();
    ListSource src = new ListSource(List.of(image("huge", null, 1), image("ok", null, 2)));
    CameraGateway gw =
        gateway(pub, src)
            .errors((r, m, id, t, n) -> reports.add(new Report(r, m, id, t, n)))
            .build();
    gw.run();
    assertEquals(1, gw.published());
    assertEquals(1, gw.rejected());
    assertEquals(0, gw.retries());
    assertEquals(1, reports.size());
    Report r = reports.get(0);
    assertEquals(RejectReason.UNPUBLISHABLE, r.reason());
    assertTrue(r.payloadId().endsWith("-0"), r.payloadId());
    assertEquals("frames/cam1", r.topic());
    assertEquals(200, r.bytes());
    assertTrue(r.message().contains("too large") && r.message().contains("huge"), r.message());
    assertEquals(List.of("failed:huge", "ok:ok"), src.done);
    assertEquals(
        1L, pub.published.get(0).getSequence()); // the gap of the reported frame is visible
  }

  @Test
  void maxFramesStopsAnEndlessSource() throws Exception {
    FakePublisher pub = new FakePublisher();
    CameraGateway gw = gateway(pub, SyntheticSource.unbounded(5)).maxFrames(7).build();
    assertEquals(7, gw.run().published());
    assertEquals(7, pub.published.size());
    assertThrows(IllegalStateException.class, gw::run);
  }

  @Test
  void paces() throws Exception {
    FakePublisher pub = new FakePublisher();
    CameraGateway gw = gateway(pub, new SyntheticSource(1, 11, 16, 16)).framesPerSecond(50).build();
    long start = System.nanoTime();
    gw.run();
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 170, "11 frames at 50 fps took " + ms + " ms"); // 10 periods of 20 ms
  }

  @Test
  void stopWhileRetryingAbandonsTheFrameAndLogsIt() throws Exception {
    FakePublisher pub = new FakePublisher();
    pub.alwaysFail = true;
    ListSource src = new ListSource(List.of(image("a", null, 1), image("b", null, 2)));
    CameraGateway gw = gateway(pub, src).build();
    CompletableFuture<CameraGateway.Stats> run = gw.runAsync();
    long deadline = System.currentTimeMillis() + 10_000;
    while (pub.attempts.size() < 4 && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    gw.close();
    CameraGateway.Stats stats = run.get(5, TimeUnit.SECONDS);
    assertEquals(0, stats.published());
    assertEquals(1, stats.abandoned());
    assertTrue(stats.retries() >= 4);
    assertTrue(src.done.isEmpty(), "an unpublished image must not be marked done: " + src.done);
    assertTrue(
        pub.attempts.stream().allMatch(pub.attempts.get(0)::equals),
        "only the first frame was tried");
  }

  @Test
  void listenerFailureDoesNotStopPublishing() throws Exception {
    FakePublisher pub = new FakePublisher();
    AtomicInteger calls = new AtomicInteger();
    CameraGateway gw =
        gateway(pub, new SyntheticSource(2, 3, 8, 8))
            .listener(
                f -> {
                  calls.incrementAndGet();
                  throw new IllegalStateException("listener bug");
                })
            .build();
    assertEquals(3, gw.run().published());
    assertEquals(3, calls.get());
  }

  @Test
  void dropFolderFilesMoveToDoneOnlyAfterPublishing(@TempDir Path dir) throws Exception {
    GrayImage img = TestImages.synthetic(DefectClass.INCLUSION, 3, 200, 200);
    TestImages.writeGray(dir.resolve("In_1.png"), img);
    FakePublisher pub = new FakePublisher();
    pub.failures.add(new java.io.IOException("first attempt fails"));
    DropFolderSource src =
        new DropFolderSource(
            dir,
            ImageLoader.neu(SizePolicy.RESIZE),
            Duration.ofMillis(100),
            Duration.ofMillis(100));
    try (CameraGateway gw = gateway(pub, src).maxFrames(1).build()) {
      gw.run();
      assertEquals(1, gw.published());
    }
    assertTrue(Files.exists(dir.resolve("done/In_1.png")));
    assertFalse(Files.exists(dir.resolve("In_1.png")));
    Frame f = pub.published.get(0);
    assertEquals("inclusion", f.getLabel());
    assertArrayEquals(img.pixels(), bytes(f.getPixels()));
  }

  @Test
  void framesSurviveTheWireCodec() throws Exception {
    FakePublisher pub = new FakePublisher();
    gateway(pub, new SyntheticSource(4, 1)).build().run();
    Frame f = pub.published.get(0);
    MessageCodec<Frame> codec = Wire.FRAME.codec();
    byte[] wire = codec.encode(f);
    assertEquals(
        200 * 200, f.getPixels().remaining(), "encoding must not consume the listener's buffer");
    Frame back = codec.decode(wire);
    assertEquals(f, back);
  }

  @Test
  void idsMustBeTopicLevels() {
    FakePublisher pub = new FakePublisher();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CameraGateway.builder(pub, new SyntheticSource(1, 1))
                .site("s")
                .line("l/1")
                .camera("c")
                .build());
    assertThrows(
        IllegalArgumentException.class,
        () -> CameraGateway.builder(pub, new SyntheticSource(1, 1)).site("s").line("l").build());
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
