package io.edgedi.camera.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.camera.source.SourceError;
import io.edgedi.camera.source.SourceImage;
import io.edgedi.camera.source.SourceItem;
import io.edgedi.schemas.codec.RejectReason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reconnects, the drop policy and its counting, with feeds made up in the test. */
class StreamSourceTest {

  /**
   * A feed of {@code count} pictures numbered from {@code first} (in the capture time), then {@code
   * end}.
   */
  private static VideoFeed feed(int first, int count, boolean failAtEnd) {
    return new VideoFeed() {
      private int i;

      @Override
      public Picture next() throws IOException {
        if (i == count) {
          if (failAtEnd) {
            throw new IOException("connection reset");
          }
          return null;
        }
        return new Picture(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), first + i++);
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void aFileIsReadToItsEndWithoutDropsWhateverTheConsumersPace() throws Exception {
    StreamSource source =
        new StreamSource(
                "clip.mp4", () -> feed(1, 30, false), false, 8, 8, 2, Duration.ofSeconds(1))
            .start();
    List<Long> captured = new ArrayList<>();
    Optional<SourceItem> item;
    while ((item = source.next()).isPresent()) {
      captured.add(assertInstanceOf(SourceImage.class, item.get()).capturedAtMicros());
      Thread.sleep(2); // slower than the reader
    }
    assertEquals(30, captured.size());
    assertEquals(1L, captured.get(0));
    assertEquals(30L, captured.get(29));
    assertEquals(0, source.dropped());
    assertEquals(0, source.reconnects());
  }

  @Test
  void aLiveStreamThatFailsIsReopenedAndEveryDropIsCounted() throws Exception {
    AtomicInteger opens = new AtomicInteger();
    StreamSource source =
        new StreamSource(
                "rtsp://cam/1",
                () -> {
                  int n = opens.incrementAndGet();
                  if (n == 2) {
                    throw new IOException("connection refused"); // the camera is still rebooting
                  }
                  return feed(n * 1000, 200, true);
                },
                true,
                8,
                8,
                4,
                Duration.ofMillis(200))
            .start();
    List<Long> captured = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 20_000;
    while (opens.get() < 4 && System.currentTimeMillis() < deadline) {
      source.next().ifPresent(i -> captured.add(((SourceImage) i).capturedAtMicros()));
      Thread.sleep(5); // the pipeline is slower than the stream
    }
    source.close();
    source.awaitReader(Duration.ofSeconds(5));
    Optional<SourceItem> rest;
    while ((rest = source.next()).isPresent()) {
      captured.add(((SourceImage) rest.get()).capturedAtMicros());
    }
    assertTrue(opens.get() >= 4, "opened " + opens.get() + " times");
    assertTrue(source.reconnects() >= 3, "reconnects " + source.reconnects());
    assertTrue(source.dropped() > 0, "nothing dropped");
    // every decoded picture was either handed on or counted as dropped
    assertEquals(source.decoded(), captured.size() + source.dropped());
    assertTrue(
        captured.stream().anyMatch(t -> t >= 3000),
        "nothing from the stream after the failed reopening");
    for (int i = 1; i < captured.size(); i++) {
      assertTrue(captured.get(i) > captured.get(i - 1), "out of order at " + i + ": " + captured);
    }
  }

  @Test
  void aFileThatCannotBeOpenedIsOneSourceErrorAndTheEnd() throws Exception {
    StreamSource source =
        new StreamSource(
                "missing.mp4",
                () -> {
                  throw new IOException("No such file");
                },
                false,
                8,
                8,
                2,
                Duration.ofSeconds(1))
            .start();
    SourceError error = assertInstanceOf(SourceError.class, source.next().orElseThrow());
    assertEquals(RejectReason.SOURCE_UNAVAILABLE, error.reason());
    assertTrue(source.next().isEmpty());
  }

  @Test
  void credentialsStayOutOfLogsAndOrigins() {
    assertEquals(
        "rtsp://10.0.0.7:554/stream1",
        StreamSource.withoutCredentials("rtsp://admin:secret@10.0.0.7:554/stream1"));
    assertEquals("/dev/video0", StreamSource.withoutCredentials("/dev/video0"));
  }
}
