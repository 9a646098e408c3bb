package io.edgedi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo line fed by a stream (here a video file FFmpeg decodes, as it would an RTSP camera). */
class DemoStreamTest {

  @Test
  void demoRunsTheLineOnAVideoStream(@TempDir Path dir) throws Exception {
    Path clip = dir.resolve("line.avi");
    writeClip(clip, 8);
    Path json = dir.resolve("demo.json");
    assertEquals(
        0,
        Main.run(
            "demo",
            "--url",
            clip.toString(),
            "--frames",
            "6",
            "--workers",
            "2",
            "--in-process",
            "--http-port",
            "-1",
            "--json",
            json.toString()));
    JsonNode r = Json.MAPPER.readTree(json.toFile());
    assertEquals(6, r.get("framesClassified").asInt(), r.toString());
    assertEquals(0, r.get("duplicates").asInt());
    assertTrue(r.get("stream").get("decoded").asLong() >= 6, r.toString());
    assertEquals(0, r.get("stream").get("dropped").asLong(), "a file is never dropped from");
  }

  private static void writeClip(Path file, int frames) throws Exception {
    SyntheticDefectGenerator generator = new SyntheticDefectGenerator();
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toString(), 200, 200, 0);
        Java2DFrameConverter converter = new Java2DFrameConverter()) {
      recorder.setFormat("avi");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
      recorder.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
      recorder.setFrameRate(10);
      recorder.start();
      for (int i = 0; i < frames; i++) {
        GrayImage g = generator.generate(DefectClass.values()[i % 6], i, 200, 200);
        BufferedImage rgb = new BufferedImage(200, 200, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 200; y++) {
          for (int x = 0; x < 200; x++) {
            int v = g.get(x, y);
            rgb.setRGB(x, y, (v << 16) | (v << 8) | v);
          }
        }
        recorder.record(converter.convert(rgb));
      }
    }
  }
}
