package io.edgedi.cli;

import io.edgedi.camera.CameraGateway;
import io.edgedi.camera.capture.Degradation;
import io.edgedi.camera.capture.DegradingSource;
import io.edgedi.camera.metrics.CameraMetrics;
import io.edgedi.camera.source.DropFolderSource;
import io.edgedi.camera.source.FolderSource;
import io.edgedi.camera.source.FrameSource;
import io.edgedi.camera.source.ImageLoader;
import io.edgedi.camera.source.ImageTopicSource;
import io.edgedi.camera.source.SizePolicy;
import io.edgedi.camera.source.SyntheticSource;
import io.edgedi.camera.stream.StreamSource;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.StatusServer;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import io.edgedi.transport.metrics.ServiceMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Publishes frames from one camera source until the source ends or the count is reached. */
@Command(
    name = "camera",
    mixinStandardHelpOptions = true,
    description =
        "Run a camera gateway: publish frames from a folder, a drop folder, the synthetic generator or "
            + "the images smart cameras publish on edgedi/v1/{site}/{line}/images/{camera}.")
final class CameraCommand implements Callable<Integer> {
  @Mixin BrokerOptions broker;

  @Option(
      names = "--line",
      defaultValue = "${env:EDGEDI_LINE:-line1}",
      description = "Line id (default ${DEFAULT-VALUE}).")
  String line;

  @Option(
      names = "--camera",
      defaultValue = "${env:EDGEDI_CAMERA:-cam1}",
      description = "Camera id, also the MQTT client id (default ${DEFAULT-VALUE}).")
  String camera;

  @ArgGroup(exclusive = true)
  Source source = new Source();

  static final class Source {
    @Option(
        names = "--images",
        description = "Folder of images (class folders or class-prefixed names give labels).")
    Path images;

    @Option(
        names = "--watch",
        description = "Drop folder: publish each image written into it, then move it to done/.")
    Path watch;

    @Option(names = "--synthetic", description = "Seeded synthetic defect frames (the default).")
    boolean synthetic;

    @Option(
        names = "--images-topic",
        description =
            "Frames from the encoded images (JPEG, PNG, BMP) a smart camera publishes on "
                + "edgedi/v1/{site}/{line}/images/{camera}, as they arrive (--rate does not apply); the gateway's "
                + "client id is {camera}-gateway. Oversized or undecodable images become dead letters.")
    boolean imagesTopic;

    @Option(
        names = "--url",
        description =
            "A stream decoded by FFmpeg: rtsp://..., http(s)://... (MJPEG), a video file, or /dev/videoN. "
                + "Frames go out as the stream gives them, with its capture times (--rate does not apply); a live "
                + "stream that fails is reopened with backoff, and when the pipeline is behind the oldest queued "
                + "frame is dropped and counted. A file is read to its end without drops.")
    String url;

    @Option(
        names = "--snapshot-url",
        description =
            "A camera's snapshot URL (one JPEG/PNG per HTTP GET), polled every --poll-ms; a failed request "
                + "is retried with backoff, and when the pipeline is behind the oldest picture is dropped and counted.")
    String snapshotUrl;
  }

  @Option(
      names = "--poll-ms",
      defaultValue = "1000",
      description = "--snapshot-url: milliseconds between requests (default ${DEFAULT-VALUE}).")
  long pollMillis;

  @Option(
      names = "--stream-queue",
      defaultValue = "8",
      description =
          "--url: frames held between the stream and the broker (default ${DEFAULT-VALUE}).")
  int streamQueue;

  @Option(
      names = "--max-backoff-ms",
      defaultValue = "5000",
      description = "--url: longest wait between reconnection attempts (default ${DEFAULT-VALUE}).")
  long maxBackoffMillis;

  @Option(
      names = "--max-image-bytes",
      defaultValue = "" + Wire.IMAGE_BYTES,
      description =
          "--images-topic: larger payloads are refused undecoded (default ${DEFAULT-VALUE}).")
  int maxImageBytes;

  @Option(
      names = "--max-image-pixels",
      defaultValue = "16777216",
      description =
          "--images-topic: larger images are refused after reading their header (default ${DEFAULT-VALUE}).")
  long maxImagePixels;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the synthetic frames (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--rate",
      defaultValue = "1",
      description = "Frames per second (default ${DEFAULT-VALUE}; 0 = as fast as possible).")
  double rate;

  @Option(
      names = "--frames",
      defaultValue = "-1",
      description = "Stop after this many frames (default: no limit).")
  long frames;

  @Option(names = "--loop", description = "Replay the image folder from the start when it ends.")
  boolean loop;

  @Option(
      names = "--reject-other-sizes",
      description = "Reject images that are not 200x200 instead of resizing them.")
  boolean reject;

  @Option(
      names = "--degrade",
      paramLabel = "KIND[:LEVEL][+KIND[:LEVEL]]",
      description =
          "Degrade every frame as a worse camera would, for trials (kinds as in eval --perturb).")
  String degrade;

  @Override
  public Integer call() throws Exception {
    SizePolicy size = reject ? SizePolicy.REJECT : SizePolicy.RESIZE;
    Topics topics = new Topics(broker.site);
    boolean fromTopic = source.imagesTopic;
    // manual acks: an image is acknowledged once its frame is published (ImageTopicSource)
    try (MqttLink link =
        new MqttLink(broker.settings(fromTopic ? camera + "-gateway" : camera), fromTopic)) {
      FrameSource frameSource;
      StreamSource stream = null;
      if (fromTopic) {
        ImageTopicSource images =
            new ImageTopicSource(
                link,
                topics.images(line, camera),
                ImageLoader.neu(size),
                maxImageBytes,
                maxImagePixels,
                16);
        images.register(); // before CONNECT: a resumed session delivers right after CONNACK
        link.connect(null, false);
        frameSource = images.start();
        rate = 0;
        System.err.println("camera " + camera + ": frames from " + topics.images(line, camera));
      } else if (source.snapshotUrl != null) {
        stream =
            StreamSource.snapshots(
                    source.snapshotUrl,
                    Duration.ofMillis(pollMillis),
                    maxImageBytes,
                    ImageLoader.NEU_SIZE,
                    ImageLoader.NEU_SIZE,
                    streamQueue,
                    Duration.ofMillis(maxBackoffMillis))
                .start();
        frameSource = stream;
        rate = 0;
        link.connect(null, false);
      } else if (source.url != null) {
        stream =
            StreamSource.ffmpeg(
                    source.url,
                    ImageLoader.NEU_SIZE,
                    ImageLoader.NEU_SIZE,
                    streamQueue,
                    Duration.ofMillis(maxBackoffMillis))
                .start();
        frameSource = stream;
        rate = 0;
        link.connect(null, false);
      } else {
        frameSource =
            source.images != null
                ? new FolderSource(source.images, loop, size)
                : source.watch != null
                    ? new DropFolderSource(source.watch)
                    : new SyntheticSource(seed, SyntheticSource.UNBOUNDED);
        link.connect(null, false);
      }
      if (degrade != null) {
        frameSource = new DegradingSource(frameSource, Degradation.parse(degrade), seed);
      }
      StatusServer status = broker.statusServer();
      CameraMetrics metrics = null;
      if (status != null) {
        ServiceMetrics service =
            new ServiceMetrics("camera").serveOn(status).watchBroker(link::isConnected);
        metrics = new CameraMetrics(service);
        status.check("broker", link::isConnected).start();
        System.err.println("camera " + camera + " /health and /metrics on port " + status.port());
      }
      CameraGateway.Builder b =
          CameraGateway.mqtt(link, topics, frameSource)
              .line(line)
              .camera(camera)
              .framesPerSecond(rate);
      if (metrics != null) {
        b.listener(metrics);
      }
      if (frames > 0) {
        b.maxFrames(frames);
      }
      try (CameraGateway gateway = b.build()) {
        if (metrics != null) {
          metrics.bind(gateway);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::stop));
        CameraGateway.Stats stats = gateway.run();
        System.err.println(
            "camera "
                + camera
                + ": "
                + stats
                + (stream == null
                    ? ""
                    : ", stream: decoded="
                        + stream.decoded()
                        + " dropped="
                        + stream.dropped()
                        + " reconnects="
                        + stream.reconnects()));
        return stats.rejected() == 0 ? 0 : 3;
      }
    }
  }
}
