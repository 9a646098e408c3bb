package io.edgedi.camera.metrics;

import io.edgedi.camera.CameraGateway;
import io.edgedi.camera.FrameListener;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Clock;
import io.edgedi.transport.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A camera gateway's Prometheus meters; pass it to the gateway's builder as its listener.
 * Prometheus names: {@code edgedi_camera_frames_published_total{line,camera}}, {@code
 * edgedi_camera_publish_latency_seconds} (capture to broker acknowledgement, histogram), {@code
 * edgedi_rejected_inputs_total{reason}} (source errors, unpublishable frames), after {@link
 * #bind(CameraGateway)} also {@code edgedi_camera_publish_retries_total} and {@code
 * edgedi_camera_frames_abandoned_total}, plus the broker and JVM meters of {@link ServiceMetrics}.
 */
public final class CameraMetrics implements FrameListener {
  private final ServiceMetrics metrics;
  private final MeterRegistry registry;
  private final Timer publishLatency;

  public CameraMetrics(ServiceMetrics metrics) {
    this.metrics = metrics;
    this.registry = metrics.registry();
    this.publishLatency =
        Timer.builder("edgedi.camera.publish.latency")
            .description("From capture to the broker's acknowledgement")
            .serviceLevelObjectives(
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(25),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5))
            .register(registry);
  }

  /** Counters kept by the gateway itself. */
  public CameraMetrics bind(CameraGateway gateway) {
    FunctionCounter.builder("edgedi.camera.publish.retries", gateway, CameraGateway::retries)
        .description("Publish attempts repeated after a broker error")
        .register(registry);
    FunctionCounter.builder("edgedi.camera.frames.abandoned", gateway, CameraGateway::abandoned)
        .description("Frames given up after the retries")
        .register(registry);
    return this;
  }

  @Override
  public void onPublished(Frame frame) {
    Counter.builder("edgedi.camera.frames.published")
        .description("Frames the broker acknowledged")
        .tags("line", frame.getLine(), "camera", frame.getCamera())
        .register(registry)
        .increment();
    long micros = Clock.micros() - frame.getCapturedAtMicros();
    if (micros >= 0) {
      publishLatency.record(micros, TimeUnit.MICROSECONDS);
    }
  }

  @Override
  public void onRejected(RejectReason reason, String message, String origin) {
    metrics.rejected(reason.name());
  }
}
