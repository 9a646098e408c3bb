package io.edgedi.cli.emulate;

import io.edgedi.cluster.EmulatedCluster;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.MqttSettings;
import io.edgedi.transport.Topics;
import io.edgedi.transport.metrics.Percentiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small message's round trip through the broker over one emulated device's link: an echo ({@code
 * edgedi ping --echo}) runs in the device's network namespace under an account of its own (taking
 * the worker's id would take over the worker's session), and this process, as a planner client of
 * its own, sends it payloads on the tile path and times each one back (QoS 1 both ways). It times
 * the link, the broker and two MQTT clients; the device's own messaging CPU is paced inside the
 * worker and shows in the single-worker frame times instead.
 */
public final class BrokerProbe {
  /** What the echo prints once subscribed. */
  public static final String ECHO_READY = "echo ready";

  private static final int WARMUP = 20;

  private BrokerProbe() {}

  /**
   * Who the probe is on the broker: the echo's worker account and this side's planner client id.
   */
  public record Accounts(
      String echoUser,
      char[] echoPassword,
      String plannerUser,
      char[] plannerPassword,
      String plannerClientId) {}

  /**
   * {@code count} round trips of {@code bytes} over worker {@code workerId}'s link; a problem
   * instead if it fails.
   */
  public static Fidelity.RoundTrip measure(
      EmulatedCluster cluster,
      String workerId,
      int brokerPort,
      String site,
      Accounts who,
      int bytes,
      int count) {
    String device = cluster.deviceOf(workerId);
    List<String> cmd =
        cluster.commandOnLinkOf(
            workerId,
            List.of(
                "ping",
                "--echo",
                "--echo-broker",
                "tcp://" + cluster.brokerHostFor(workerId) + ":" + brokerPort,
                "--echo-user",
                who.echoUser(),
                "--echo-site",
                site,
                "--echo-reply-to",
                who.plannerClientId()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("EDGEDI_PASSWORD", new String(who.echoPassword()));
    Process echo = null;
    try {
      echo = pb.start();
      Process started = echo;
      CompletableFuture<Boolean> ready = new CompletableFuture<>();
      // Drains the echo's output to its end (a full pipe would stall it), noting when it is ready.
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    if (line.contains(ECHO_READY)) {
                      ready.complete(true);
                    }
                  }
                } catch (IOException e) {
                  // the echo is gone
                }
                ready.complete(false);
              },
              "broker-probe-echo-output");
      reader.setDaemon(true);
      reader.start();
      if (!ready.get(60, TimeUnit.SECONDS)) {
        return failed(workerId, device, bytes, "the echo exited before it was ready");
      }
      Topics topics = new Topics(site);
      BlockingQueue<byte[]> back = new LinkedBlockingQueue<>();
      List<Double> millis = new ArrayList<>();
      try (MqttLink planner =
          new MqttLink(
              new MqttSettings(
                  "tcp://127.0.0.1:" + brokerPort,
                  who.plannerClientId(),
                  who.plannerUser(),
                  who.plannerPassword()))) {
        planner.connect(null, true);
        planner.subscribe(
            topics.partials(who.plannerClientId()), (topic, payload) -> back.add(payload));
        byte[] payload = new byte[bytes];
        for (int i = -WARMUP; i < count; i++) {
          long start = System.nanoTime();
          planner.publish(topics.tasks(who.echoUser()), payload, false);
          byte[] got = back.poll(10, TimeUnit.SECONDS);
          if (got == null) {
            return failed(workerId, device, bytes, "round trip " + i + " got no answer in 10 s");
          }
          if (i >= 0) {
            millis.add((System.nanoTime() - start) / 1e6);
          }
        }
      }
      return new Fidelity.RoundTrip(
          workerId,
          device,
          bytes,
          count,
          Percentiles.of(millis, 50),
          Percentiles.of(millis, 95),
          null);
    } catch (Exception e) {
      return failed(workerId, device, bytes, e.toString());
    } finally {
      if (echo != null) {
        echo.destroy();
        try {
          if (!echo.waitFor(5, TimeUnit.SECONDS)) {
            echo.destroyForcibly();
          }
        } catch (InterruptedException e) {
          echo.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static Fidelity.RoundTrip failed(String workerId, String device, int bytes, String why) {
    return new Fidelity.RoundTrip(workerId, device, bytes, 0, 0, 0, why);
  }
}
