package io.edgedi.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quota arithmetic and the files written, on a plain folder standing in for cgroupfs. */
class CgroupCpuTest {
  @Test
  void quotaIsCoresTimesPeriod() {
    assertEquals(25_000, CgroupCpu.quotaUs(0.25, 100_000));
    assertEquals(50_000, CgroupCpu.quotaUs(0.5, 100_000));
    assertEquals(2_500, CgroupCpu.quotaUs(0.25, 10_000));
    assertEquals(150_000, CgroupCpu.quotaUs(1.5, 100_000));
    assertEquals(CgroupCpu.MIN_QUOTA_US, CgroupCpu.quotaUs(0.001, 100_000), "the kernel minimum");
    assertThrows(IllegalArgumentException.class, () -> CgroupCpu.quotaUs(0, 100_000));
  }

  @Test
  void v1GroupGetsPeriodQuotaAndPid(@TempDir Path root) throws Exception {
    CgroupCpu c = new CgroupCpu(root, CgroupCpu.Version.V1);
    Path g = c.create("worker-1", 0.25, 100_000);
    assertEquals(root.resolve("edgedi-emu").resolve("worker-1"), g);
    assertEquals("100000", Files.readString(g.resolve("cpu.cfs_period_us")));
    assertEquals("25000", Files.readString(g.resolve("cpu.cfs_quota_us")));
    assertArrayEquals(new long[] {25_000, 100_000}, c.limits(g));
    c.add(g, 4242);
    assertEquals(List.of(4242L), c.pids(g));
  }

  @Test
  void v2GroupWritesCpuMaxAndEnablesTheController(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("cgroup.subtree_control"), "memory");
    CgroupCpu c = new CgroupCpu(root, CgroupCpu.Version.V2);
    Path g = c.create("worker-2", 0.5, 20_000);
    assertEquals("10000 20000", Files.readString(g.resolve("cpu.max")));
    assertEquals("+cpu", Files.readString(root.resolve("cgroup.subtree_control")));
    assertArrayEquals(new long[] {10_000, 20_000}, c.limits(g));
  }

  @Test
  void removeAllTakesEveryGroupAndMovesPidsOut(@TempDir Path root) throws Exception {
    CgroupCpu c = new CgroupCpu(root, CgroupCpu.Version.V1);
    Path g1 = c.create("worker-1", 0.25, 100_000);
    c.create("worker-2", 0.5, 100_000);
    c.add(g1, 77);
    List<String> removed = c.removeAll();
    assertEquals(2, removed.size());
    assertFalse(Files.exists(root.resolve("edgedi-emu")));
    assertEquals(
        "77", Files.readString(root.resolve("cgroup.procs")), "pid handed back to the root group");
    assertTrue(c.removeAll().isEmpty());
  }

  @Test
  void refusesPathTricks(@TempDir Path root) {
    CgroupCpu c = new CgroupCpu(root, CgroupCpu.Version.V1);
    assertThrows(IllegalArgumentException.class, () -> c.groupOf("../escape"));
  }

  @Test
  void detectsV1CpuBeforeV2(@TempDir Path dir) throws Exception {
    Path cpu = Files.createDirectories(dir.resolve("cpu"));
    Path unified = Files.createDirectories(dir.resolve("unified"));
    List<String> mountinfo =
        List.of(
            "30 25 0:26 / " + unified + " rw,relatime - cgroup2 cgroup2 rw",
            "31 25 0:27 / " + cpu + " rw,relatime - cgroup cgroup rw,cpu",
            "32 25 0:28 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct");
    CgroupCpu.Found f = CgroupCpu.detect(mountinfo);
    assertNull(f.problem());
    assertEquals(cpu, f.cgroup().root());
    assertEquals(CgroupCpu.Version.V1, f.cgroup().version());

    Files.writeString(unified.resolve("cgroup.controllers"), "cpuset cpu io memory pids");
    f = CgroupCpu.detect(List.of("30 25 0:26 / " + unified + " rw,relatime - cgroup2 cgroup2 rw"));
    assertEquals(CgroupCpu.Version.V2, f.cgroup().version());

    Files.writeString(unified.resolve("cgroup.controllers"), "memory pids");
    f = CgroupCpu.detect(List.of("30 25 0:26 / " + unified + " rw,relatime - cgroup2 cgroup2 rw"));
    assertNull(f.cgroup());
    assertNotNull(f.problem());
    assertNotNull(CgroupCpu.detect(List.of()).problem());
  }
}
