package io.edgedi.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Worker JVMs ({@code edgedi worker}) shaped like the devices of a {@link DeviceProfile}: each in
 * its own CPU cgroup with the device's quota and, where the device has a link, in its own network
 * namespace behind a rate-limited veth pair. Whatever cannot be made (not root, no controller, no
 * {@code ip netns}) falls back to an unthrottled or unshaped worker, and {@link #status()} says so
 * per worker. Stale groups and namespaces of a crashed run are removed before anything is made;
 * everything made is removed on {@link #close()}, also from a shutdown hook (Ctrl-C).
 */
public final class EmulatedCluster implements AutoCloseable {
  private final DeviceProfile profile;
  private final List<DeviceProfile.Machine> machines;
  private final boolean shapeNetwork;
  private final CpuEmulation cpuEmulation;
  private final Path runDir;
  private final ClusterProcesses processes;
  private final List<Worker> workers = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Thread hook = new Thread(this::cleanUp, "edgedi-emulate-cleanup");
  private CgroupCpu cgroup;
  private String cgroupProblem;
  private boolean closed;

  /** One emulated device and its worker process. */
  private static final class Worker {
    final String id;
    final DeviceProfile.Machine machine;
    Path group;
    long quotaUs = -1;
    boolean throttled;
    String throttleNote;
    NetShaper.Link link;
    String linkNote;
    Process process;

    Worker(String id, DeviceProfile.Machine machine) {
      this.id = id;
      this.machine = machine;
    }
  }

  /**
   * How a device's CPU share is made. {@code quota}: the cgroup quota alone, so a worker runs at
   * full speed until the period's quota is spent, then waits for the next period. {@code steady}:
   * the same quota, and the worker also stretches every compute step to its CPU time / share
   * ({@code --device-cores}), computing steadily slower like the real device. {@code pace}: the
   * worker paces its compute steps and its messaging work (MQTT threads, encoding and decoding) to
   * the share ({@code --device-cores --device-messaging}), and its JVM gets {@link #PACE_JVM_CORES}
   * core under the quota: at a share of 0.088 core a quota leaves the JVM's own threads (JIT, GC,
   * MQTT I/O) nothing beside the compute, where a real Pi gives them cores of their own, and every
   * message waits for the next CFS period.
   */
  public enum CpuEmulation {
    QUOTA,
    STEADY,
    PACE;

    public static CpuEmulation parse(String name) {
      for (CpuEmulation e : values()) {
        if (e.name().equalsIgnoreCase(name)) {
          return e;
        }
      }
      throw new IllegalArgumentException(
          "cpu emulation must be quota, steady or pace, not " + name);
    }

    /** Cores the device's whole JVM may use (the cgroup quota). */
    double jvmCores(double deviceCores) {
      return this == PACE ? Math.max(PACE_JVM_CORES, deviceCores) : deviceCores;
    }
  }

  /**
   * The quota of a paced worker's JVM: one core, so that a JVM starting up or compiling cannot take
   * both of this machine's cores from the others; its compute is paced far below it.
   */
  public static final double PACE_JVM_CORES = 1.0;

  /**
   * @param processes starts the worker JVMs; closed with this cluster, before its groups go
   */
  public EmulatedCluster(
      DeviceProfile profile,
      boolean shapeNetwork,
      CpuEmulation cpuEmulation,
      Path runDir,
      ClusterProcesses processes) {
    this.processes = processes;
    this.profile = profile;
    this.machines = profile.machines();
    this.shapeNetwork = shapeNetwork;
    this.cpuEmulation = cpuEmulation;
    this.runDir = runDir;
  }

  public DeviceProfile profile() {
    return profile;
  }

  public int size() {
    return machines.size();
  }

  /**
   * Removes leftovers, then makes the cgroups and namespaces. Returns true if any worker will live
   * in its own namespace: the broker must then listen beyond loopback.
   */
  public boolean prepare(java.util.function.IntFunction<String> workerId) {
    Runtime.getRuntime().addShutdownHook(hook);
    CgroupCpu.Found found = CgroupCpu.detect();
    cgroup = found.cgroup();
    cgroupProblem = found.problem();
    removeStale();
    for (int i = 0; i < machines.size(); i++) {
      workers.add(new Worker(workerId.apply(i + 1), machines.get(i)));
    }
    String netProblem =
        !shapeNetwork ? "network shaping off (--no-network)" : NetShaper.unavailableReason();
    boolean anyNetns = false;
    for (int i = 0; i < workers.size(); i++) {
      Worker w = workers.get(i);
      if (cgroup == null) {
        w.throttleNote = "unthrottled: " + cgroupProblem;
      } else {
        try {
          double jvm = cpuEmulation.jvmCores(w.machine.cpu());
          w.group = cgroup.create(w.id, jvm, profile.periodUs());
          w.quotaUs = CgroupCpu.quotaUs(jvm, profile.periodUs());
        } catch (IOException | RuntimeException e) {
          w.throttleNote =
              "unthrottled: cannot make cgroup " + cgroup.groupOf(w.id) + ": " + e.getMessage();
        }
      }
      if (w.machine.link() == null) {
        w.linkNote = "no link in the profile: loopback, unshaped";
      } else if (netProblem != null) {
        w.linkNote = "unshaped: " + netProblem;
      } else {
        try {
          w.link = NetShaper.create(i + 1, w.machine.link().mbit(), w.machine.link().latency());
          w.linkNote = w.link.note();
          anyNetns = true;
        } catch (IOException | RuntimeException e) {
          w.linkNote = "unshaped (ip netns/veth/tc failed, worker on loopback): " + e.getMessage();
        }
      }
    }
    return anyNetns;
  }

  private void removeStale() {
    if (cgroup != null) {
      try {
        List<String> stale = cgroup.removeAll();
        if (!stale.isEmpty()) {
          notes.add("removed stale cgroups " + stale);
        }
      } catch (IOException e) {
        notes.add("could not remove stale cgroups: " + e.getMessage());
      }
    }
    List<String> staleNet = NetShaper.removeAll();
    if (!staleNet.isEmpty()) {
      notes.add("removed stale namespaces/veths " + staleNet);
    }
  }

  /**
   * Starts every worker JVM ({@code edgedi worker ...workerArgs}) against the broker's port, each
   * moved into its cgroup right after it starts.
   */
  public void start(
      int brokerPort,
      java.util.function.Function<String, char[]> passwords,
      List<String> workerArgs)
      throws IOException {
    Files.createDirectories(runDir);
    for (Worker w : workers) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "worker",
                  "--broker",
                  "tcp://" + brokerHostFor(w.id) + ":" + brokerPort,
                  "--user",
                  w.id,
                  "--id",
                  w.id,
                  "--threads",
                  "1"));
      args.addAll(workerArgs);
      if (cpuEmulation != CpuEmulation.QUOTA) {
        args.addAll(List.of("--device-cores", Double.toString(Math.min(1.0, w.machine.cpu()))));
      }
      if (cpuEmulation == CpuEmulation.PACE) {
        args.add("--device-messaging");
        args.addAll(
            List.of(
                "--calibration-lock",
                runDir.resolve("calibration.lock").toAbsolutePath().toString()));
      }
      JvmCommand cmd =
          onLink(
              w,
              JvmCommand.edgedi(
                  List.of("-Xmx1g", "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1"), args));
      w.process = processes.start(w.id, cmd, passwords.apply(w.id), runDir.resolve(w.id + ".log"));
      if (w.group != null) {
        try {
          cgroup.add(w.group, w.process.pid());
          w.throttled = cgroup.pids(w.group).contains(w.process.pid());
          if (!w.throttled) {
            w.throttleNote =
                "unthrottled: pid " + w.process.pid() + " not in " + w.group + " after the move";
          }
        } catch (IOException e) {
          w.throttleNote = "unthrottled: cannot move pid into " + w.group + ": " + e.getMessage();
        }
      }
    }
  }

  private static JvmCommand onLink(Worker w, JvmCommand command) {
    return w.link == null ? command : command.within(NetShaper.execPrefix(w.link.namespace()));
  }

  /**
   * The command that runs {@code edgedi <mainArgs>} in a small JVM on worker {@code workerId}'s
   * link (inside its network namespace, if it has one), outside any CPU group.
   */
  public List<String> commandOnLinkOf(String workerId, List<String> mainArgs) {
    return onLink(
            find(workerId),
            JvmCommand.edgedi(
                List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), mainArgs))
        .toList();
  }

  /** The broker's address as seen from worker {@code workerId}'s link. */
  public String brokerHostFor(String workerId) {
    Worker w = find(workerId);
    return w.link != null ? w.link.hostAddress() : "127.0.0.1";
  }

  public List<String> workerIds() {
    return workers.stream().map(w -> w.id).toList();
  }

  /** Profile CPU share of a worker (cores). */
  public double cpuOf(String workerId) {
    return find(workerId).machine.cpu();
  }

  public String deviceOf(String workerId) {
    return find(workerId).machine.name();
  }

  private Worker find(String id) {
    return workers.stream()
        .filter(w -> w.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no worker " + id));
  }

  /** The first worker that died, with the end of its log, or null if all live. */
  public String deadWorker() throws IOException {
    return processes.deadProcess();
  }

  /**
   * True if any worker lives in a network namespace of its own (the broker then listens beyond
   * loopback).
   */
  public boolean anyNetns() {
    return workers.stream().anyMatch(w -> w.link != null);
  }

  public boolean allThrottled() {
    return workers.stream().allMatch(w -> w.throttled);
  }

  /** Per worker: device, CPU share, whether it is really throttled and shaped, and why not. */
  public List<Map<String, Object>> status() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Worker w : workers) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("worker", w.id);
      m.put("device", w.machine.name());
      m.put("kind", w.machine.kind());
      m.put("cpuCores", w.machine.cpu());
      m.put("throttled", w.throttled);
      m.put("jvmCpuCores", cpuEmulation.jvmCores(w.machine.cpu()));
      m.put("cpuEmulation", cpuEmulation.name().toLowerCase());
      if (w.throttled) {
        m.put("cgroup", w.group.toString());
        m.put("cgroupVersion", cgroup.version().name().toLowerCase());
        m.put("quotaUs", w.quotaUs);
        m.put("periodUs", profile.periodUs());
      } else {
        m.put("throttleNote", w.throttleNote);
      }
      m.put("pid", w.process == null ? null : w.process.pid());
      m.put("networkShaped", w.link != null);
      if (w.machine.link() != null) {
        m.put("linkMbit", w.machine.link().mbit());
        m.put("linkLatencyMs", w.machine.link().latency());
      }
      if (w.link != null) {
        m.put("namespace", w.link.namespace());
        m.put("workerAddress", w.link.workerAddress());
        m.put("brokerAddress", w.link.hostAddress());
        m.put("latencyApplied", w.link.latencyApplied());
      }
      if (w.linkNote != null) {
        m.put("linkNote", w.linkNote);
      }
      out.add(m);
    }
    return out;
  }

  public List<String> notes() {
    return List.copyOf(notes);
  }

  /** Prints one line per worker. */
  public void describe(java.io.PrintStream out) {
    for (Map<String, Object> s : status()) {
      String cpu =
          Boolean.TRUE.equals(s.get("throttled"))
              ? String.format(
                  "%.3f core (quota %d/%d us, %s, %s)",
                  (Double) s.get("cpuCores"),
                  (Long) s.get("quotaUs"),
                  (Long) s.get("periodUs"),
                  s.get("cgroup"),
                  switch (cpuEmulation) {
                    case QUOTA -> "quota only";
                    case STEADY -> "paced steadily";
                    case PACE ->
                        "compute and messaging paced, JVM under a " + PACE_JVM_CORES + "-core cap";
                  })
              : "UNTHROTTLED ("
                  + s.get("throttleNote")
                  + ")"
                  + (cpuEmulation != CpuEmulation.QUOTA
                      ? String.format(
                          ", compute steps still paced to %.3f core", (Double) s.get("cpuCores"))
                      : "");
      String net =
          Boolean.TRUE.equals(s.get("networkShaped"))
              ? String.format(
                      "%s Mbit/s in %s via %s",
                      fmt((Double) s.get("linkMbit")), s.get("namespace"), s.get("brokerAddress"))
                  + (s.get("linkNote") != null ? "; " + s.get("linkNote") : "")
              : String.valueOf(s.get("linkNote"));
      out.printf("  %-9s %-10s %s; %s%n", s.get("worker"), s.get("device"), cpu, net);
    }
    notes.forEach(n -> out.println("  note: " + n));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private synchronized void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    processes.close();
    if (cgroup != null) {
      try {
        cgroup.removeAll();
      } catch (IOException e) {
        System.err.println(
            "emulate: could not remove cgroups under "
                + cgroup.root().resolve(CgroupCpu.PARENT)
                + ": "
                + e.getMessage());
      }
    }
    for (Worker w : workers) {
      if (w.link != null) {
        NetShaper.remove(w.link.index());
      }
    }
  }

  @Override
  public void close() {
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running this
    }
  }
}
