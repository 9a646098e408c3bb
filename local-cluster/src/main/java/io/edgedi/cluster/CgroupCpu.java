package io.edgedi.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU quotas through the CFS bandwidth controller: one child group per emulated device under {@code
 * <root>/edgedi-emu/}. cgroup v1: {@code cpu.cfs_period_us} and {@code cpu.cfs_quota_us}; cgroup
 * v2: {@code cpu.max} ("quota period"). A process joins by its pid written to {@code cgroup.procs}
 * (all its threads move, later threads are born inside). The root is a parameter so that tests can
 * use a plain folder.
 */
public final class CgroupCpu {
  /** The folder under the controller root that holds every group this tool makes. */
  public static final String PARENT = "edgedi-emu" + EmulationInstance.ID;

  /** The kernel refuses quotas under 1 ms. */
  public static final long MIN_QUOTA_US = 1_000;

  public enum Version {
    V1,
    V2
  }

  private final Path root;
  private final Version version;

  public CgroupCpu(Path root, Version version) {
    this.root = root;
    this.version = version;
  }

  public Path root() {
    return root;
  }

  public Version version() {
    return version;
  }

  /** The quota for {@code cores} of CPU time per period (0.25 core, 100000 us -> 25000 us). */
  public static long quotaUs(double cores, long periodUs) {
    if (!(cores > 0)) {
      throw new IllegalArgumentException("cores must be > 0: " + cores);
    }
    return Math.max(MIN_QUOTA_US, Math.round(cores * periodUs));
  }

  /**
   * Where this machine's CPU controller is, from {@code /proc/self/mountinfo}; an explanation if
   * none.
   */
  public static Found detect() {
    try {
      return detect(Files.readAllLines(Path.of("/proc/self/mountinfo")));
    } catch (IOException e) {
      return new Found(null, "cannot read /proc/self/mountinfo: " + e.getMessage());
    }
  }

  /** The outcome of looking for a usable CPU controller: a controller, or why there is none. */
  public record Found(CgroupCpu cgroup, String problem) {}

  /**
   * Parses mountinfo lines: a v1 hierarchy with the cpu controller wins over a v2 one with cpu
   * enabled.
   */
  static Found detect(List<String> mountinfo) {
    Path v2 = null;
    for (String line : mountinfo) {
      String[] halves = line.split(" - ", 2);
      if (halves.length < 2) {
        continue;
      }
      String[] left = halves[0].split(" ");
      String[] right = halves[1].split(" ");
      if (left.length < 5 || right.length < 3) {
        continue;
      }
      Path mount = Path.of(left[4].replace("\\040", " "));
      if (right[0].equals("cgroup") && List.of(right[2].split(",")).contains("cpu")) {
        return usable(new CgroupCpu(mount, Version.V1));
      }
      if (right[0].equals("cgroup2")) {
        v2 = mount;
      }
    }
    if (v2 != null) {
      try {
        String controllers = Files.readString(v2.resolve("cgroup.controllers"));
        if (List.of(controllers.trim().split("\\s+")).contains("cpu")) {
          return usable(new CgroupCpu(v2, Version.V2));
        }
        return new Found(
            null,
            "cgroup v2 at "
                + v2
                + " has no cpu controller available (cgroup.controllers: '"
                + controllers.trim()
                + "')");
      } catch (IOException e) {
        return new Found(null, "cgroup v2 at " + v2 + " unreadable: " + e.getMessage());
      }
    }
    return new Found(null, "no cgroup cpu controller mounted");
  }

  private static Found usable(CgroupCpu c) {
    if (!Files.isWritable(c.root)) {
      return new Found(
          null,
          "cgroup "
              + c.version
              + " cpu controller at "
              + c.root
              + " is not writable (run as root)");
    }
    return new Found(c, null);
  }

  /** The group of one device. */
  public Path groupOf(String name) {
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("bad group name " + name);
    }
    return root.resolve(PARENT).resolve(name);
  }

  /** Makes (or reuses) the device's group with {@code cores} of CPU per {@code periodUs}. */
  public Path create(String name, double cores, long periodUs) throws IOException {
    Path parent = root.resolve(PARENT);
    Files.createDirectories(parent);
    if (version == Version.V2) {
      enableCpu(root);
      enableCpu(parent);
    }
    Path group = groupOf(name);
    Files.createDirectories(group);
    long quota = quotaUs(cores, periodUs);
    if (version == Version.V1) {
      // Period first: a quota larger than an old, shorter period would otherwise be refused.
      write(group.resolve("cpu.cfs_period_us"), Long.toString(periodUs));
      write(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
    } else {
      write(group.resolve("cpu.max"), quota + " " + periodUs);
    }
    return group;
  }

  private static void enableCpu(Path dir) throws IOException {
    Path control = dir.resolve("cgroup.subtree_control");
    if (Files.exists(control) && !Files.readString(control).contains("cpu")) {
      write(control, "+cpu");
    }
  }

  /** Moves a process (all its threads) into the group. */
  public void add(Path group, long pid) throws IOException {
    write(group.resolve("cgroup.procs"), Long.toString(pid));
  }

  /** The quota and period a group has now, in microseconds (quota -1 = unlimited). */
  public long[] limits(Path group) throws IOException {
    if (version == Version.V1) {
      return new long[] {
        Long.parseLong(Files.readString(group.resolve("cpu.cfs_quota_us")).trim()),
        Long.parseLong(Files.readString(group.resolve("cpu.cfs_period_us")).trim())
      };
    }
    String[] max = Files.readString(group.resolve("cpu.max")).trim().split("\\s+");
    return new long[] {max[0].equals("max") ? -1 : Long.parseLong(max[0]), Long.parseLong(max[1])};
  }

  /** Processes still in the group. */
  public List<Long> pids(Path group) throws IOException {
    List<Long> out = new ArrayList<>();
    Path procs = group.resolve("cgroup.procs");
    if (Files.exists(procs)) {
      for (String l : Files.readAllLines(procs)) {
        if (!l.isBlank()) {
          out.add(Long.parseLong(l.trim()));
        }
      }
    }
    return out;
  }

  /**
   * Removes one group: processes still inside go back to the root group first (a group with members
   * cannot be removed). On cgroupfs {@code rmdir} takes the control files with it; in a plain
   * folder (tests) the files this class wrote are deleted first.
   */
  public void remove(Path group) throws IOException {
    if (!Files.isDirectory(group)) {
      return;
    }
    for (long pid : pids(group)) {
      try {
        write(root.resolve("cgroup.procs"), Long.toString(pid));
      } catch (IOException e) {
        // the process may have exited meanwhile
      }
    }
    rmdir(group);
  }

  /**
   * Removes every group under {@code <root>/edgedi-emu}, e.g. left by a crashed run; returns their
   * names.
   */
  public List<String> removeAll() throws IOException {
    Path parent = root.resolve(PARENT);
    List<String> removed = new ArrayList<>();
    if (!Files.isDirectory(parent)) {
      return removed;
    }
    List<Path> groups;
    try (Stream<Path> s = Files.list(parent)) {
      groups = s.filter(Files::isDirectory).toList();
    }
    for (Path g : groups) {
      remove(g);
      removed.add(g.getFileName().toString());
    }
    rmdir(parent);
    return removed;
  }

  private static void rmdir(Path dir) throws IOException {
    try {
      Files.delete(dir);
    } catch (NoSuchFileException e) {
      // gone already
    } catch (DirectoryNotEmptyException e) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path f : s.toList()) {
          if (Files.isRegularFile(f)) {
            Files.delete(f);
          }
        }
      }
      Files.delete(dir);
    }
  }

  private static void write(Path file, String value) throws IOException {
    Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
  }
}
