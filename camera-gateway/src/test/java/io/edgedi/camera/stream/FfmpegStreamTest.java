package io.edgedi.camera.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real streams made on the spot from generated frames, decoded by FFmpeg. */
class FfmpegStreamTest {

  private static final SyntheticDefectGenerator GEN = new SyntheticDefectGenerator();

  @TempDir Path folder;

  @Test
  void aVideoFileYieldsEveryFrameWithItsStreamTimes() throws Exception {
    Path clip = folder.resolve("clip.avi");
    List<GrayImage> written = new ArrayList<>();
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(clip.toString(), 200, 200, 0);
        Java2DFrameConverter converter = new Java2DFrameConverter()) {
      recorder.setFormat("avi");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
      recorder.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
      recorder.setFrameRate(10);
      recorder.setVideoQuality(2);
      recorder.start();
      for (int i = 0; i < 12; i++) {
        GrayImage image = GEN.generate(DefectClass.ofIndex(i % 6), 40 + i);
        written.add(image);
        recorder.record(converter.convert(image.toBufferedImage()));
      }
      recorder.stop();
    }

    StreamSource source =
        StreamSource.ffmpeg(clip.toString(), 200, 200, 2, Duration.ofSeconds(1)).start();
    List<SourceImage> read = new ArrayList<>();
    Optional<SourceItem> item;
    while ((item = source.next()).isPresent()) {
      read.add(assertInstanceOf(SourceImage.class, item.get()));
    }
    assertEquals(12, read.size());
    assertEquals(0, source.dropped());
    for (int i = 1; i < read.size(); i++) {
      long step = read.get(i).capturedAtMicros() - read.get(i - 1).capturedAtMicros();
      assertTrue(
          Math.abs(step - 100_000) <= 1_000,
          "frame " + i + " is " + step + " us after the previous one");
    }
    for (int i = 0; i < read.size(); i++) {
      double diff = meanAbsDiff(written.get(i), read.get(i).image());
      assertTrue(diff < 6, "frame " + i + " differs by " + diff + " grey levels on average");
    }
  }

  /**
   * An MJPEG camera over HTTP that drops the connection, goes away and comes back on the same port:
   * the source reconnects and goes on, and every picture decoded is either handed on or counted as
   * dropped.
   */
  @Test
  void anHttpMjpegStreamKilledAndRestartedResumesAndCountsEveryDrop() throws Exception {
    byte[] jpeg = jpeg(GEN.generate(DefectClass.PITTED_SURFACE, 9));
    AtomicInteger connections = new AtomicInteger();
    HttpServer first = mjpegServer(0, jpeg, 15, connections);
    int port = first.getAddress().getPort();
    String url = "http://127.0.0.1:" + port + "/stream.mjpg";
    StreamSource source = StreamSource.ffmpeg(url, 200, 200, 4, Duration.ofMillis(400)).start();
    List<SourceImage> taken = new CopyOnWriteArrayList<>();
    Thread pipeline =
        new Thread(
            () -> {
              try {
                Optional<SourceItem> item;
                while ((item = source.next()).isPresent()) {
                  taken.add((SourceImage) item.get());
                  Thread.sleep(30); // the pipeline is slower than the camera
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    pipeline.start();
    HttpServer second = null;
    try {
      await(() -> connections.get() >= 1 && !taken.isEmpty(), "the first frame");
      first.stop(0); // the camera goes away for a while
      Thread.sleep(1_000);
      int before = taken.size();
      second = mjpegServer(port, jpeg, 15, connections);
      await(
          () -> connections.get() >= 2 && taken.size() > before,
          "a frame after the camera came back");
    } finally {
      source.close();
      source.awaitReader(Duration.ofSeconds(10));
      pipeline.join(10_000);
      first.stop(0);
      if (second != null) {
        second.stop(0);
      }
    }
    assertTrue(source.reconnects() >= 1, "reconnects " + source.reconnects());
    assertEquals(source.decoded(), taken.size() + source.dropped());
    assertTrue(meanAbsDiff(GEN.generate(DefectClass.PITTED_SURFACE, 9), taken.get(0).image()) < 6);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!condition.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < deadline, "no " + what + " within 60 s");
      Thread.sleep(20);
    }
  }

  /**
   * Serves {@code frames} copies of {@code jpeg} as multipart/x-mixed-replace, then ends the
   * response.
   */
  private static HttpServer mjpegServer(
      int port, byte[] jpeg, int frames, AtomicInteger connections) throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/stream.mjpg",
        exchange -> {
          connections.incrementAndGet();
          exchange
              .getResponseHeaders()
              .add("Content-Type", "multipart/x-mixed-replace;boundary=edgedi");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < frames; i++) {
              out.write(
                  ("--edgedi\r\nContent-Type: image/jpeg\r\nContent-Length: "
                          + jpeg.length
                          + "\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
              out.write(jpeg);
              out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
              Thread.sleep(10);
            }
          } catch (Exception clientGone) {
            // the source closed the connection
          }
        });
    server.start();
    return server;
  }

  private static byte[] jpeg(GrayImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image.toBufferedImage(), "jpeg", out);
    return out.toByteArray();
  }

  private static double meanAbsDiff(GrayImage a, GrayImage b) {
    double sum = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      sum += Math.abs((a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff));
    }
    return sum / a.pixels().length;
  }
}
