package io.edgedi.cli;

import io.edgedi.inference.runtime.TfRuntime;
import io.edgedi.transport.StatusServer;
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
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run a worker agent: computes the tiles the planner sends it.")
final class WorkerCommand implements Callable<Integer> {
  @Mixin BrokerOptions broker;
  @Mixin ModelOptions model;

  @Option(names = "--id", defaultValue = "${env:EDGEDI_WORKER_ID}", required = true,
      description = "Worker id, also its MQTT client id (env EDGEDI_WORKER_ID; on k3s the node name).")
  String id;

  @Option(names = "--threads", defaultValue = "${env:EDGEDI_THREADS:-0}",
      description = "TF threads (env EDGEDI_THREADS; 0 = all cores).")
  int threads;

  @Option(names = "--max-tile-bytes", defaultValue = "67108864", description = "Largest tile accepted (default ${DEFAULT-VALUE}).")
  int maxTileBytes;

  @Option(names = "--device-cores", defaultValue = "0",
      description = "Emulation only: stretch every compute step to (its CPU time / this many cores) of wall"
          + " time, so the worker computes steadily like a slower device instead of in quota bursts (0 = off).")
  double deviceCores;

  @Override
  public Integer call() throws Exception {
    if (threads > 0) {
      TfRuntime.useThreads(threads);
    }
    if (deviceCores > 0 && threads != 1) {
      throw new IllegalArgumentException("--device-cores needs --threads 1: it paces by the compute thread's CPU time");
    }
    WorkerAgent agent = new WorkerAgent(broker.settings(id), broker.site, model.load(), maxTileBytes,
        deviceCores > 0 ? DevicePace.of(deviceCores) : DevicePace.off());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stop.countDown();
    }));
    agent.start();
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
