package io.edgedi.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Components as separate JVMs, as they would be on separate machines: same class path, password
 * handed over in the environment (not on the command line, where {@code ps} shows it), output
 * appended to one log file each. Each can be killed (SIGKILL) and started again by id.
 */
public final class WorkerProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final java.util.Map<String, Integer> byId = new java.util.HashMap<>();
  private final java.util.Map<String, List<String>> commands = new java.util.HashMap<>();
  private final java.util.Map<String, char[]> passwords = new java.util.HashMap<>();
  private final java.util.Map<String, String> environment = new java.util.HashMap<>();

  /** An environment variable for every process started from now on (e.g. the TLS trust store). */
  public synchronized void putEnvironment(String name, String value) {
    environment.put(name, value);
  }

  public void start(String id, char[] password, Path log, List<String> workerArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("worker"));
    args.addAll(workerArgs);
    startCommand(id, password, log, args);
  }

  /** Starts {@code edgedi <args>} as process {@code id}. */
  public synchronized void startCommand(String id, char[] password, Path log, List<String> cliArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A fixed, pre-touched heap, as on a Pi: the process takes its memory at start and RSS
    // growth after that means native memory (TF, threads, metaspace) is leaking, not that the
    // collector chose to grow the heap (the planner's live heap stays ~15 MB; see README).
    cmd.addAll(List.of("-Xms384m", "-Xmx384m", "-XX:+AlwaysPreTouch"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.edgedi.cli.Main");
    cmd.addAll(cliArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("EDGEDI_PASSWORD", new String(password));
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.environment().put("EDGEDI_WORKER_ID", id);
    pb.environment().putAll(environment);
    commands.put(id, List.copyOf(cliArgs));
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
  }

  /** SIGKILL, like a power cut. */
  public synchronized void kill(String id) throws InterruptedException {
    Process p = processes.get(byId.get(id));
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, and waits for the process to end (its shutdown hook runs), as in a rollout. */
  public synchronized void stop(String id) throws InterruptedException {
    Process p = processes.get(byId.get(id));
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  /** How many times {@code text} appears in the log of process {@code id} (which outlives restarts). */
  public int logCount(String id, String text) throws IOException {
    Path log;
    synchronized (this) {
      log = logs.get(byId.get(id));
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

  /** Waits until {@code text} appears {@code count} times in the log of {@code id}; false on timeout. */
  public boolean awaitLog(String id, String text, int count, long millis) throws IOException, InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      if (logCount(id, text) >= count) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** Starts a killed process again with its original command. */
  public synchronized void restart(String id) throws IOException {
    startCommand(id, passwords.get(id), logs.get(byId.get(id)), commands.get(id));
  }

  public synchronized long pid(String id) {
    return processes.get(byId.get(id)).pid();
  }

  public synchronized java.util.Set<String> ids() {
    return new java.util.TreeSet<>(byId.keySet());
  }

  /** The first worker that died, with the end of its log, or null if all are alive. */
  public synchronized String deadWorker() throws IOException {
    for (int i = 0; i < processes.size(); i++) {
      if (!processes.get(i).isAlive()) {
        List<String> lines = Files.readAllLines(logs.get(i));
        return logs.get(i) + " (exit " + processes.get(i).exitValue() + "):\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
      }
    }
    return null;
  }

  @Override
  public void close() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
