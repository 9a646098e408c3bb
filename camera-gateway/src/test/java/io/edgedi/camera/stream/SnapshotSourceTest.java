package io.edgedi.camera.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.edgedi.camera.source.SourceImage;
import io.edgedi.camera.source.SourceItem;
import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A camera's snapshot URL, polled: pictures arrive, an outage is retried with backoff, then they
 * resume.
 */
class SnapshotSourceTest {

  @Test
  void pollsTheSnapshotUrlAndRecoversFromAnOutage() throws Exception {
    GrayImage frame = new SyntheticDefectGenerator().generate(DefectClass.PATCHES, 3, 200, 200);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(frame.toBufferedImage(), "png", png);
    AtomicBoolean down = new AtomicBoolean();
    AtomicInteger requests = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/snapshot",
        exchange -> {
          requests.incrementAndGet();
          byte[] body =
              down.get() ? "camera busy".getBytes(StandardCharsets.US_ASCII) : png.toByteArray();
          exchange.sendResponseHeaders(down.get() ? 503 : 200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/snapshot";
    try (StreamSource source =
        StreamSource.snapshots(
                url, Duration.ofMillis(20), 1 << 20, 200, 200, 8, Duration.ofMillis(200))
            .start()) {
      SourceImage first = image(source.next());
      assertEquals(frame.get(50, 50), first.image().get(50, 50), "PNG is lossless");
      assertTrue(first.capturedAtMicros() > 0);
      down.set(true);
      int before = requests.get();
      long deadline = System.currentTimeMillis() + 10_000;
      while (source.reconnects() < 2 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(
          source.reconnects() >= 2, "a failing snapshot URL is retried: " + source.reconnects());
      assertTrue(requests.get() > before);
      down.set(false);
      long decoded = source.decoded();
      deadline = System.currentTimeMillis() + 10_000;
      while (source.decoded() <= decoded + 2 && System.currentTimeMillis() < deadline) {
        source.next();
      }
      assertTrue(source.decoded() > decoded + 2, "pictures resume after the outage");
    } finally {
      server.stop(0);
    }
  }

  private static SourceImage image(Optional<SourceItem> item) {
    assertTrue(item.isPresent() && item.get() instanceof SourceImage, String.valueOf(item));
    return (SourceImage) item.get();
  }
}
