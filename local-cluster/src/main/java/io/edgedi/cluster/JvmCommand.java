package io.edgedi.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code edgedi} command in a JVM of its own, on this JVM's class path: how every component
 * process of a local cluster is started (workers, planners, echoes), so all of them run the same
 * code as a real deployment does.
 *
 * @param prefix what runs the JVM (e.g. {@code ip netns exec NS}), usually empty
 * @param jvmOptions heap and collector options
 * @param args the {@code edgedi} subcommand and its options
 */
public record JvmCommand(List<String> prefix, List<String> jvmOptions, List<String> args) {
  /** The CLI's entry point; named, not linked: this module sits below the CLI. */
  public static final String MAIN = "io.edgedi.cli.Main";

  /**
   * A fixed, pre-touched heap, as on a Pi: the process takes its memory at start and RSS growth
   * after that means native memory (TF, threads, metaspace) is leaking, not that the collector
   * chose to grow the heap (the planner's live heap stays ~15 MB; see README).
   */
  public static final List<String> FIXED_HEAP =
      List.of("-Xms384m", "-Xmx384m", "-XX:+AlwaysPreTouch");

  public JvmCommand {
    prefix = List.copyOf(prefix);
    jvmOptions = List.copyOf(jvmOptions);
    args = List.copyOf(args);
  }

  public static JvmCommand edgedi(List<String> jvmOptions, List<String> args) {
    return new JvmCommand(List.of(), jvmOptions, args);
  }

  /** The same command run through {@code prefix}. */
  public JvmCommand within(List<String> runner) {
    return new JvmCommand(runner, jvmOptions, args);
  }

  public List<String> toList() {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MAIN);
    cmd.addAll(args);
    return cmd;
  }
}
