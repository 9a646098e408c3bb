package io.edgedi.cli;

import io.edgedi.camera.CameraGateway;
import io.edgedi.camera.metrics.CameraMetrics;
import io.edgedi.camera.capture.Degradation;
import io.edgedi.camera.capture.DegradingSource;
import io.edgedi.camera.source.DropFolderSource;
import io.edgedi.camera.source.FolderSource;
import io.edgedi.camera.source.FrameSource;
import io.edgedi.camera.source.SizePolicy;
import io.edgedi.camera.source.SyntheticSource;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.StatusServer;
import io.edgedi.transport.metrics.ServiceMetrics;
import io.edgedi.transport.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Publishes frames from one camera source until the source ends or the count is reached. */
@Command(name = "camera", mixinStandardHelpOptions = true,
    description = "Run a camera gateway: publish frames from a folder, a drop folder or the synthetic generator.")
final class CameraCommand implements Callable<Integer> {
  @Mixin BrokerOptions broker;

  @Option(names = "--line", defaultValue = "${env:EDGEDI_LINE:-line1}", description = "Line id (default ${DEFAULT-VALUE}).")
  String line;

  @Option(names = "--camera", defaultValue = "${env:EDGEDI_CAMERA:-cam1}",
      description = "Camera id, also the MQTT client id (default ${DEFAULT-VALUE}).")
  String camera;

  @ArgGroup(exclusive = true)
  Source source = new Source();

  static final class Source {
    @Option(names = "--images", description = "Folder of images (class folders or class-prefixed names give labels).")
    Path images;

    @Option(names = "--watch", description = "Drop folder: publish each image written into it, then move it to done/.")
    Path watch;

    @Option(names = "--synthetic", description = "Seeded synthetic defect frames (the default).")
    boolean synthetic;
  }

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic frames (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rate", defaultValue = "1", description = "Frames per second (default ${DEFAULT-VALUE}; 0 = as fast as possible).")
  double rate;

  @Option(names = "--frames", defaultValue = "-1", description = "Stop after this many frames (default: no limit).")
  long frames;

  @Option(names = "--loop", description = "Replay the image folder from the start when it ends.")
  boolean loop;

  @Option(names = "--reject-other-sizes", description = "Reject images that are not 200x200 instead of resizing them.")
  boolean reject;

  @Option(names = "--degrade", paramLabel = "KIND[:LEVEL][+KIND[:LEVEL]]",
      description = "Degrade every frame as a worse camera would, for trials (kinds as in eval --perturb).")
  String degrade;

  @Override
  public Integer call() throws Exception {
    SizePolicy size = reject ? SizePolicy.REJECT : SizePolicy.RESIZE;
    FrameSource frameSource = source.images != null ? new FolderSource(source.images, loop, size)
        : source.watch != null ? new DropFolderSource(source.watch)
        : new SyntheticSource(seed, SyntheticSource.UNBOUNDED);
    if (degrade != null) {
      frameSource = new DegradingSource(frameSource, Degradation.parse(degrade), seed);
    }
    Topics topics = new Topics(broker.site);
    try (MqttLink link = new MqttLink(broker.settings(camera))) {
      link.connect(null, false);
      StatusServer status = broker.statusServer();
      CameraMetrics metrics = null;
      if (status != null) {
        ServiceMetrics service = new ServiceMetrics("camera").serveOn(status).watchBroker(link::isConnected);
        metrics = new CameraMetrics(service);
        status.check("broker", link::isConnected).start();
        System.err.println("camera " + camera + " /health and /metrics on port " + status.port());
      }
      CameraGateway.Builder b = CameraGateway.mqtt(link, topics, frameSource).line(line).camera(camera)
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
        System.err.println("camera " + camera + ": " + stats);
        return stats.rejected() == 0 ? 0 : 3;
      }
    }
  }
}
