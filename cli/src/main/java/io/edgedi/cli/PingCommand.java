package io.edgedi.cli;

import io.edgedi.cluster.ClusterCredentials;
import io.edgedi.cluster.LocalCluster;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.MqttSettings;
import io.edgedi.transport.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What one message costs on this machine without any model: a planner client sends a payload to a
 * worker's tiles topic, the worker client sends it straight back to the planner's partials topic
 * (QoS 1 both ways, the tile path), through an embedded broker on loopback.
 *
 * <p>With {@code --echo} it is only the worker's half, against a broker that runs elsewhere: the
 * emulator starts it inside a device's network namespace to time round trips over that device's
 * link ({@code emulate.BrokerProbe}). It prints {@code BrokerProbe.ECHO_READY} once subscribed and
 * runs until its standard input closes.
 */
@Command(
    name = "ping",
    mixinStandardHelpOptions = true,
    description =
        "Round trips planner -> broker -> worker -> broker -> planner per payload size; prints JSON.")
final class PingCommand implements Callable<Integer> {
  @Option(
      names = "--sizes",
      defaultValue = "100,4000,40000,400000,4000000",
      split = ",",
      description = "Payload sizes in bytes (default ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(
      names = "--count",
      defaultValue = "300",
      description = "Round trips per size, after 30 unmeasured (default ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--json", description = "Also write the report here.")
  Path json;

  @Option(
      names = "--echo",
      description =
          "Only echo: connect to --echo-broker as --echo-user (password in"
              + " EDGEDI_PASSWORD), send every message on that worker's tiles topic back to planner --echo-reply-to.")
  boolean echo;

  @Option(names = "--echo-broker", description = "Broker URL for --echo.")
  String echoBroker;

  @Option(names = "--echo-user", description = "Worker account (and client id) for --echo.")
  String echoUser;

  @Option(
      names = "--echo-site",
      defaultValue = "plant1",
      description = "Site of the topics for --echo (default ${DEFAULT-VALUE}).")
  String echoSite;

  @Option(
      names = "--echo-reply-to",
      description = "Planner id whose partials topic gets the echoes.")
  String echoReplyTo;

  @Override
  public Integer call() throws Exception {
    if (echo) {
      return echo();
    }
    if (count < 1 || sizes.stream().anyMatch(s -> s < 1)) {
      throw new IllegalArgumentException("--count and every size must be >= 1");
    }
    String worker = ClusterCredentials.workerId(1);
    Topics topics = new Topics("ping");
    List<Map<String, Object>> rows = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.builder(1).start();
        MqttLink planner = new MqttLink(cluster.settings("planner", "planner"));
        MqttLink echo = new MqttLink(cluster.settings(worker, worker))) {
      BlockingQueue<byte[]> back = new LinkedBlockingQueue<>();
      planner.connect(null, true);
      echo.connect(null, true);
      echo.subscribe(
          topics.tasks(worker),
          (topic, payload) -> {
            try {
              echo.publish(topics.partials("planner"), payload, false);
            } catch (Exception e) {
              throw new IllegalStateException("echo failed", e);
            }
          });
      planner.subscribe(topics.partials("planner"), (topic, payload) -> back.add(payload));
      for (int size : sizes) {
        byte[] payload = new byte[size];
        long[] micros = new long[count];
        for (int i = -30; i < count; i++) {
          long start = System.nanoTime();
          planner.publish(topics.tasks(worker), payload, false);
          byte[] got = back.poll(30, TimeUnit.SECONDS);
          if (got == null || got.length != size) {
            throw new IllegalStateException("round trip " + i + " of " + size + " bytes lost");
          }
          if (i >= 0) {
            micros[i] = (System.nanoTime() - start) / 1000;
          }
        }
        Arrays.sort(micros);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("bytes", size);
        row.put("roundTripP50Micros", micros[count / 2]);
        row.put("roundTripP90Micros", micros[(int) (count * 0.9)]);
        row.put("roundTripMaxMicros", micros[count - 1]);
        row.put("megabytesPerSecondP50", Math.round(2.0 * size / micros[count / 2] * 10) / 10.0);
        rows.add(row);
      }
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put(
        "path",
        "planner -> broker -> worker -> broker -> planner, QoS 1, loopback, embedded broker");
    report.put("roundTrips", rows);
    System.out.println(Json.MAPPER.writeValueAsString(report));
    if (json != null) {
      Json.write(json, report);
    }
    return 0;
  }

  private int echo() throws Exception {
    if (echoBroker == null || echoUser == null || echoReplyTo == null) {
      throw new IllegalArgumentException(
          "--echo needs --echo-broker, --echo-user and --echo-reply-to");
    }
    String pw = System.getenv("EDGEDI_PASSWORD");
    if (pw == null) {
      throw new IllegalArgumentException("--echo needs the password in EDGEDI_PASSWORD");
    }
    Topics topics = new Topics(echoSite);
    String back = topics.partials(echoReplyTo);
    try (MqttLink link =
        new MqttLink(new MqttSettings(echoBroker, echoUser, echoUser, pw.toCharArray()))) {
      link.connect(null, true);
      link.subscribe(
          topics.tasks(echoUser),
          (topic, payload) -> {
            try {
              link.publish(back, payload, false);
            } catch (Exception e) {
              throw new IllegalStateException("echo failed", e);
            }
          });
      System.out.println(io.edgedi.cli.emulate.BrokerProbe.ECHO_READY);
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input (or ends us)
      }
    }
    return 0;
  }
}
