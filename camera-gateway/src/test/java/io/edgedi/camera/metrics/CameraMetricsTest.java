package io.edgedi.camera.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Clock;
import io.edgedi.transport.metrics.ServiceMetrics;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CameraMetricsTest {
  @Test
  void countsPublishedFramesLatencyAndRejectionsByReason() {
    try (ServiceMetrics m = new ServiceMetrics("camera")) {
      CameraMetrics c = new CameraMetrics(m);
      for (int i = 0; i < 3; i++) {
        c.onPublished(
            Frame.newBuilder()
                .setFrameId("cam1-" + i)
                .setSite("plant1")
                .setLine("line1")
                .setCamera("cam1")
                .setSequence(i)
                .setCapturedAtMicros(Clock.micros() - 3_000)
                .setWidth(1)
                .setHeight(1)
                .setChannels(1)
                .setPixels(ByteBuffer.wrap(new byte[1]))
                .build());
      }
      c.onRejected(RejectReason.UNREADABLE, "not an image", "x.txt");
      String text = m.scrape();
      assertTrue(
          text.contains(
              "edgedi_camera_frames_published_total{camera=\"cam1\",component=\"camera\",line=\"line1\"} 3.0"),
          text);
      assertTrue(
          text.contains("edgedi_camera_publish_latency_seconds_count{component=\"camera\"} 3"),
          text);
      assertTrue(
          text.contains(
              "edgedi_camera_publish_latency_seconds_bucket{component=\"camera\",le=\"0.001\"} 0"),
          text);
      assertTrue(
          text.contains(
              "edgedi_rejected_inputs_total{component=\"camera\",reason=\"UNREADABLE\"} 1.0"),
          text);
    }
  }
}
