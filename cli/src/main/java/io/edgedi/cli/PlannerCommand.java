package io.edgedi.cli;

import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.metrics.PlannerMetrics;
import io.edgedi.planner.plan.Strategies;
import io.edgedi.planner.web.Dashboard;
import io.edgedi.transport.StatusServer;
import io.edgedi.transport.metrics.ServiceMetrics;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the planner until stopped. */
@Command(
    name = "planner",
    mixinStandardHelpOptions = true,
    description = "Run the planner: splits frames across workers and publishes classifications.")
final class PlannerCommand implements Callable<Integer> {
  @Mixin BrokerOptions broker;
  @Mixin ModelOptions model;
  @Mixin WindowOptions windows;

  @Option(
      names = "--state-dir",
      defaultValue = "${env:EDGEDI_STATE_DIR:-planner-state}",
      description =
          "Where the planner keeps the journal of classified frames across restarts (default ${DEFAULT-VALUE}).")
  java.nio.file.Path stateDir;

  @Option(
      names = "--id",
      defaultValue = "${env:EDGEDI_PLANNER_ID:-planner}",
      description = "Planner id, also its MQTT client id (default ${DEFAULT-VALUE}).")
  String id;

  @Option(
      names = "--planner",
      defaultValue = "${env:EDGEDI_PLANNER:-optimal}",
      description =
          "Plan algorithm: equal, proportional, edgedi or optimal (env EDGEDI_PLANNER; default ${DEFAULT-VALUE}).")
  String plannerName;

  @Override
  public Integer call() throws Exception {
    var weights = model.load();
    Planner planner =
        new Planner(
            broker.settings(id),
            weights,
            Strategies.byName(plannerName),
            PlannerOptions.defaults(id, broker.site)
                .withStateDir(stateDir)
                .withWindowStride(windows.stride),
            windows.load(weights));
    StatusServer status = broker.statusServer();
    if (status != null) {
      // Metrics and dashboard listen from the first frame on: installed before start().
      PlannerMetrics.install(new ServiceMetrics("planner").serveOn(status), planner);
      Dashboard.install(
          status,
          planner,
          Map.of(
              "model",
              weights.model().name() + "@" + weights.version(),
              "planner",
              id,
              "site",
              broker.site,
              "strategy",
              plannerName));
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  planner.close();
                  stop.countDown();
                }));
    planner.start();
    if (status != null) {
      status.check("broker", planner::connected).check("model", () -> true).start();
      System.err.println(
          "planner "
              + id
              + " dashboard on port "
              + status.port()
              + " (http://127.0.0.1:"
              + status.port()
              + "/ here; /health and /metrics beside it)");
    }
    System.err.println("planner " + id + " ready");
    stop.await();
    return 0;
  }
}
