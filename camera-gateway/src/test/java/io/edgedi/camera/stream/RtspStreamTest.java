package io.edgedi.camera.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgedi.camera.source.SourceImage;
import io.edgedi.camera.source.SourceItem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An RTSP camera made on the spot: GStreamer's RTSP server (a Python script, test resource) serves
 * generated frames; it is killed and started again on the same port mid-run. Skipped, saying why,
 * where GStreamer's RTSP server or its Python bindings are not installed.
 */
class RtspStreamTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path folder;

  @Test
  void anRtspCameraKilledAndRestartedResumesAndCountsEveryDrop() throws Exception {
    assumeTrue(
        rtspServerAvailable(),
        "SKIPPED: GStreamer's RTSP server is not installed (Debian: "
            + "python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good)");
    Path script = folder.resolve("rtsp-server.py");
    try (var in = RtspStreamTest.class.getResourceAsStream("rtsp-server.py")) {
      Files.copy(in, script);
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Process camera = startServer(script, port);
    StreamSource source =
        StreamSource.ffmpeg(
                "rtsp://127.0.0.1:" + port + "/cam", 200, 200, 4, Duration.ofMillis(400))
            .start();
    List<SourceImage> taken = new CopyOnWriteArrayList<>();
    Thread pipeline =
        new Thread(
            () -> {
              try {
                Optional<SourceItem> item;
                while ((item = source.next()).isPresent()) {
                  taken.add((SourceImage) item.get());
                  Thread.sleep(150); // slower than the camera's 10 frames/s
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    pipeline.start();
    try {
      await(() -> taken.size() >= 5, "5 frames from the camera");
      camera.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // power cut
      long reconnectsBefore = source.reconnects();
      await(() -> source.reconnects() > reconnectsBefore, "a reconnection attempt");
      int before = taken.size();
      camera = startServer(script, port);
      await(() -> taken.size() >= before + 5, "5 frames after the camera came back");
    } finally {
      source.close();
      source.awaitReader(Duration.ofSeconds(10));
      pipeline.join(10_000);
      camera.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertTrue(source.reconnects() >= 1);
    assertTrue(source.dropped() > 0, "a pipeline slower than the camera dropped nothing");
    assertEquals(source.decoded(), taken.size() + source.dropped());
    for (int i = 1; i < taken.size(); i++) {
      assertTrue(
          taken.get(i).capturedAtMicros() > taken.get(i - 1).capturedAtMicros(),
          "capture times not increasing at " + i);
    }
    assertEquals(200, taken.get(0).image().width());
  }

  private static Process startServer(Path script, int port) throws Exception {
    Process p =
        new ProcessBuilder(PYTHON.toString(), script.toString(), Integer.toString(port))
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertEquals("ready", line, "RTSP server did not start");
    return p;
  }

  private static boolean rtspServerAvailable() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    Process p =
        new ProcessBuilder(
                PYTHON.toString(),
                "-c",
                "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer")
            .redirectErrorStream(true)
            .start();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!condition.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < deadline, "no " + what + " within 60 s");
      Thread.sleep(20);
    }
  }
}
