package io.edgedi.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A private link per emulated device: network namespace {@code edgedi-emu-<i>}, a veth pair {@code
 * edemu<i>h} (root namespace, address 10.213.i.1/30) - {@code edemu<i>n} (inside, 10.213.i.2/30), a
 * {@code tbf} rate limit on both ends (both directions) and, where the kernel has {@code netem}, an
 * added delay below it. The worker runs under {@code ip netns exec} and reaches the broker at
 * 10.213.i.1, so its traffic only ever crosses this pair. Every step shells out to {@code ip} and
 * {@code tc}; any failure undoes what was made and reports why.
 */
public final class NetShaper {
  public static final String NS_PREFIX = "edgedi-emu" + EmulationInstance.ID + "-";
  public static final String VETH_PREFIX = "edemu" + EmulationInstance.ID;
  public static final String SUBNET_PREFIX =
      "10." + EmulationInstance.subnetOctet(EmulationInstance.ID) + ".";

  /** One device's link as made: namespace, host-side address and what was actually shaped. */
  public record Link(
      int index,
      String namespace,
      String hostVeth,
      String hostAddress,
      String workerAddress,
      double mbit,
      double latencyMs,
      boolean latencyApplied,
      String note) {}

  private NetShaper() {}

  public static String namespace(int i) {
    return NS_PREFIX + i;
  }

  public static String hostAddress(int i) {
    return SUBNET_PREFIX + i + ".1";
  }

  public static String workerAddress(int i) {
    return SUBNET_PREFIX + i + ".2";
  }

  /** tbf burst: at least 32 KiB and 10 ms of traffic at the rate (the kernel needs rate/HZ). */
  static long burstBytes(double mbit) {
    return Math.max(32 * 1024, Math.round(mbit * 1e6 / 8 * 0.010));
  }

  /** Makes the namespace, the pair and the shaping for device {@code i} (1..250). */
  public static Link create(int i, double mbit, double latencyMs) throws IOException {
    if (i < 1 || i > 250) {
      throw new IllegalArgumentException("device index must be within 1..250");
    }
    String ns = namespace(i);
    String host = VETH_PREFIX + i + "h";
    String inner = VETH_PREFIX + i + "n";
    String conflict = run(List.of("ip", "-o", "-4", "addr", "show"), true);
    if (conflict.contains(" " + SUBNET_PREFIX + i + ".")) {
      throw new IOException(
          "subnet " + SUBNET_PREFIX + i + ".0/30 is already in use on this machine");
    }
    try {
      run(List.of("ip", "netns", "add", ns), false);
      run(List.of("ip", "link", "add", host, "type", "veth", "peer", "name", inner), false);
      run(List.of("ip", "link", "set", inner, "netns", ns), false);
      run(List.of("ip", "addr", "add", hostAddress(i) + "/30", "dev", host), false);
      run(List.of("ip", "link", "set", host, "up"), false);
      run(inNs(ns, "ip", "addr", "add", workerAddress(i) + "/30", "dev", inner), false);
      run(inNs(ns, "ip", "link", "set", inner, "up"), false);
      run(inNs(ns, "ip", "link", "set", "lo", "up"), false);
      String rate = String.format(Locale.ROOT, "%.3fmbit", mbit);
      String burst = Long.toString(burstBytes(mbit));
      run(
          List.of(
              "tc", "qdisc", "add", "dev", host, "root", "handle", "1:", "tbf", "rate", rate,
              "burst", burst, "latency", "500ms"),
          false);
      run(
          inNs(
              ns, "tc", "qdisc", "add", "dev", inner, "root", "handle", "1:", "tbf", "rate", rate,
              "burst", burst, "latency", "500ms"),
          false);
      boolean delayed = false;
      String note = null;
      if (latencyMs > 0) {
        String delay = String.format(Locale.ROOT, "%.3fms", latencyMs);
        try {
          run(
              List.of(
                  "tc", "qdisc", "add", "dev", host, "parent", "1:1", "handle", "10:", "netem",
                  "delay", delay, "limit", "100000"),
              false);
          run(
              inNs(
                  ns, "tc", "qdisc", "add", "dev", inner, "parent", "1:1", "handle", "10:", "netem",
                  "delay", delay, "limit", "100000"),
              false);
          delayed = true;
        } catch (IOException e) {
          String why = e.getMessage().strip();
          why = why.substring(why.lastIndexOf(':') + 1).strip();
          note = "latency NOT emulated (tc netem failed: " + why + "); bandwidth limited by tbf";
        }
      }
      return new Link(
          i, ns, host, hostAddress(i), workerAddress(i), mbit, latencyMs, delayed, note);
    } catch (IOException e) {
      remove(i);
      throw e;
    }
  }

  /** The command prefix that runs a program inside the device's namespace. */
  public static List<String> execPrefix(String namespace) {
    return List.of("ip", "netns", "exec", namespace);
  }

  private static List<String> inNs(String ns, String... cmd) {
    List<String> out = new ArrayList<>(execPrefix(ns));
    out.addAll(List.of(cmd));
    return out;
  }

  /**
   * Deletes device {@code i}'s namespace (which takes the pair with it) and its host veth if left.
   */
  public static void remove(int i) {
    try {
      run(List.of("ip", "netns", "del", namespace(i)), true);
      run(List.of("ip", "link", "del", VETH_PREFIX + i + "h"), true);
    } catch (IOException e) {
      // best effort
    }
  }

  /**
   * Removes every namespace and veth this class could have made (stale ones after a crash); returns
   * their names.
   */
  public static List<String> removeAll() {
    List<String> removed = new ArrayList<>();
    try {
      for (String line : run(List.of("ip", "netns", "list"), true).split("\n")) {
        String name = line.trim().split("\\s+")[0];
        if (name.startsWith(NS_PREFIX)) {
          run(List.of("ip", "netns", "del", name), true);
          removed.add(name);
        }
      }
      for (String line : run(List.of("ip", "-o", "link", "show"), true).split("\n")) {
        String[] parts = line.split(":\\s+", 3);
        if (parts.length >= 2) {
          String name = parts[1].split("@")[0];
          if (name.matches(VETH_PREFIX + "\\d+[hn]")) {
            run(List.of("ip", "link", "del", name), true);
            removed.add(name);
          }
        }
      }
    } catch (IOException e) {
      // no ip command: nothing of ours can exist
    }
    return removed;
  }

  /** Whether {@code ip} and {@code tc} can be run at all. */
  public static String unavailableReason() {
    try {
      run(List.of("ip", "netns", "list"), false);
      run(List.of("tc", "-V"), false);
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  static String run(List<String> cmd, boolean ignoreFailure) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": timed out");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", cmd) + ": interrupted");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0 && !ignoreFailure) {
      throw new IOException(
          String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out.strip());
    }
    return out;
  }
}
