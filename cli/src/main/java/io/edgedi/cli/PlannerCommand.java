package io.edgedi.cli;

import io.edgedi.planner.Planner;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.plan.ProportionalStrategy;
import io.edgedi.transport.StatusServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the planner until stopped. */
@Command(name = "planner", mixinStandardHelpOptions = true,
    description = "Run the planner: splits frames across workers and publishes classifications.")
final class PlannerCommand implements Callable<Integer> {
  @Mixin BrokerOptions broker;
  @Mixin ModelOptions model;

  @Option(names = "--id", defaultValue = "${env:EDGEDI_PLANNER_ID:-planner}",
      description = "Planner id, also its MQTT client id (default ${DEFAULT-VALUE}).")
  String id;

  @Override
  public Integer call() throws Exception {
    Planner planner = new Planner(broker.settings(id), model.load(), new ProportionalStrategy(),
        PlannerOptions.defaults(id, broker.site));
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      planner.close();
      stop.countDown();
    }));
    planner.start();
    StatusServer status = broker.statusServer();
    if (status != null) {
      status.check("broker", planner::connected).check("model", () -> true).start();
      System.err.println("planner " + id + " health on port " + status.port());
    }
    System.err.println("planner " + id + " ready");
    stop.await();
    return 0;
  }
}
