package io.edgedi.cli;

import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.transport.StatusServer;
import io.edgedi.transport.Wire;
import io.edgedi.transport.metrics.ServiceMetrics;
import io.edgedi.worker.DevicePace;
import io.edgedi.worker.WorkerAgent;
import io.edgedi.worker.metrics.WorkerMetrics;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs one worker agent until stopped. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Run a worker agent: computes the tiles the planner sends it.")
final class WorkerCommand implements Callable<Integer> {
  @Mixin BrokerOptions broker;
  @Mixin ModelOptions model;

  @Option(
      names = "--id",
      defaultValue = "${env:EDGEDI_WORKER_ID}",
      required = true,
      description =
          "Worker id, also its MQTT client id (env EDGEDI_WORKER_ID; on k3s the node name).")
  String id;

  @Option(
      names = "--threads",
      defaultValue = "${env:EDGEDI_THREADS:-0}",
      description = "TF threads (env EDGEDI_THREADS; 0 = all cores).")
  int threads;

  @Option(
      names = "--max-tile-bytes",
      defaultValue = "" + Wire.LARGEST_PAYLOAD_BYTES,
      description =
          "Largest task or peer-rows payload accepted, for a broker that passes larger packets (default ${DEFAULT-VALUE}).")
  int maxTileBytes;

  @Option(
      names = "--device-cores",
      defaultValue = "0",
      description =
          "Emulation only: stretch every compute step to (its CPU time / this many cores) of wall"
              + " time, so the worker computes steadily like a slower device instead of in quota bursts (0 = off).")
  double deviceCores;

  @Option(
      names = "--device-messaging",
      description =
          "Emulation only, with --device-cores: also charge the JVM's messaging work between compute"
              + " steps (MQTT threads, encoding, decoding) at that share, for a JVM not held to it by a CPU quota.")
  boolean deviceMessaging;

  @Option(
      names = "--calibration-lock",
      description =
          "Emulation only: hold an exclusive lock on this file while"
              + " warming up and calibrating, so that workers sharing this machine's cores calibrate one at a time.")
  java.nio.file.Path calibrationLock;

  @Override
  public Integer call() throws Exception {
    if (threads > 0) {
      TfRuntime.useThreads(threads);
    }
    if (deviceCores > 0 && threads != 1) {
      throw new IllegalArgumentException(
          "--device-cores needs --threads 1: it paces by the compute thread's CPU time");
    }
    if (deviceMessaging && deviceCores <= 0) {
      throw new IllegalArgumentException("--device-messaging needs --device-cores");
    }
    DevicePace pace =
        deviceCores <= 0
            ? DevicePace.off()
            : deviceMessaging ? DevicePace.withMessaging(deviceCores) : DevicePace.of(deviceCores);
    WorkerAgent agent;
    // Emulated devices share two cores: a worker calibrating while the others build their graphs
    // reads a higher thread CPU time for the same work (one frame of vgg16-scar on one core here:
    // 26.7 to 38.3 ms CPU in runs at different loads), and its first speed estimate with it.
    try (java.nio.channels.FileChannel lock =
            calibrationLock == null
                ? null
                : java.nio.channels.FileChannel.open(
                    calibrationLock,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock held = lock == null ? null : lock.lock()) {
      agent = new WorkerAgent(broker.settings(id), broker.site, model.load(), maxTileBytes, pace);
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  if (pace.pacesMessaging()) {
                    System.err.printf(
                        "worker %s: messaging work charged at %.3f cores: %.1f ms of CPU in all%n",
                        id, deviceCores, pace.messagingChargedNanos() / 1e6);
                  }
                  stop.countDown();
                }));
    agent.start();
    pace.settle(); // start-up and connecting delayed no tile
    StatusServer status = broker.statusServer();
    if (status != null) {
      WorkerMetrics.install(new ServiceMetrics("worker").serveOn(status), agent);
      status.check("broker", agent::connected).check("model", () -> true).start();
      System.err.println("worker " + id + " /health and /metrics on port " + status.port());
    }
    System.err.println("worker " + id + " ready");
    stop.await();
    return 0;
  }
}
