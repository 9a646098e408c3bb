package io.edgedi.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Worker agents as separate JVMs, as they would be on separate Pis: same class path, password
 * handed over in the environment (not on the command line, where {@code ps} shows it), output
 * to one log file each.
 */
public final class WorkerProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  public void start(String id, char[] password, Path log, List<String> workerArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.edgedi.cli.Main");
    cmd.add("worker");
    cmd.addAll(workerArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("EDGEDI_PASSWORD", new String(password));
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.environment().put("EDGEDI_WORKER_ID", id);
    processes.add(pb.start());
    logs.add(log);
  }

  /** The first worker that died, with the end of its log, or null if all are alive. */
  public String deadWorker() throws IOException {
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
