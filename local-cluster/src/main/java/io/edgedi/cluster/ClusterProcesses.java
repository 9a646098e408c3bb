package io.edgedi.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Components as separate JVMs, as they would be on separate machines: password handed over in the
 * environment (not on the command line, where {@code ps} shows it), output appended to one log file
 * each. Each can be killed (SIGKILL), frozen (SIGSTOP) and started again by id.
 */
public final class ClusterProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final Map<String, Integer> byId = new HashMap<>();
  private final Map<String, JvmCommand> commands = new HashMap<>();
  private final Map<String, char[]> passwords = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  /** An environment variable for every process started from now on (e.g. the TLS trust store). */
  public synchronized void putEnvironment(String name, String value) {
    environment.put(name, value);
  }

  /**
   * Starts {@code command} as process {@code id}, which is also its worker id if it runs a worker.
   */
  public synchronized Process start(String id, JvmCommand command, char[] password, Path log)
      throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder pb =
        new ProcessBuilder(command.toList())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("EDGEDI_PASSWORD", new String(password));
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.environment().put("EDGEDI_WORKER_ID", id);
    pb.environment().putAll(environment);
    commands.put(id, command);
    passwords.put(id, password.clone());
    Process p = pb.start();
    Integer at = byId.get(id);
    if (at == null) {
      byId.put(id, processes.size());
      processes.add(p);
      logs.add(log);
    } else {
      processes.set(at, p);
    }
    return p;
  }

  /** Starts a killed process again with its original command. */
  public synchronized Process restart(String id) throws IOException {
    return start(id, commands.get(id), passwords.get(id), logs.get(index(id)));
  }

  /** SIGKILL, like a power cut. */
  public void kill(String id) throws InterruptedException {
    Process p = process(id);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, and waits for the process to end (its shutdown hook runs), as in a rollout. */
  public void stop(String id) throws InterruptedException {
    Process p = process(id);
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  /** SIGSTOP / SIGCONT: the process keeps its connections but computes nothing (a straggler). */
  public void freeze(String id, boolean frozen) throws IOException, InterruptedException {
    int exit =
        new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(pid(id)))
            .start()
            .waitFor();
    if (exit != 0) {
      throw new IOException(
          "kill " + (frozen ? "-STOP " : "-CONT ") + pid(id) + " exited with " + exit);
    }
  }

  /**
   * How many times {@code text} appears in the log of process {@code id} (which outlives restarts).
   */
  public int logCount(String id, String text) throws IOException {
    Path log;
    synchronized (this) {
      log = logs.get(index(id));
    }
    if (!Files.exists(log)) {
      return 0;
    }
    String all = Files.readString(log);
    int n = 0;
    for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + text.length())) {
      n++;
    }
    return n;
  }

  /**
   * Waits until {@code text} appears {@code count} times in the log of {@code id}; false on
   * timeout.
   */
  public boolean awaitLog(String id, String text, int count, long millis) throws Exception {
    return Await.until(() -> logCount(id, text) >= count, millis);
  }

  public synchronized Process process(String id) {
    return processes.get(index(id));
  }

  public long pid(String id) {
    return process(id).pid();
  }

  public synchronized Set<String> ids() {
    return new TreeSet<>(byId.keySet());
  }

  private int index(String id) {
    Integer at = byId.get(id);
    if (at == null) {
      throw new IllegalArgumentException("no process " + id);
    }
    return at;
  }

  /** The first process that died, with the end of its log, or null if all are alive. */
  public synchronized String deadProcess() throws IOException {
    for (int i = 0; i < processes.size(); i++) {
      if (!processes.get(i).isAlive()) {
        List<String> lines = Files.readAllLines(logs.get(i));
        return logs.get(i)
            + " (exit "
            + processes.get(i).exitValue()
            + "):\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
      }
    }
    return null;
  }

  /** SIGTERM to all, SIGKILL to whatever has not ended 10 s later. */
  @Override
  public synchronized void close() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
