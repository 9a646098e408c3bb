package io.edgedi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceProfileTest {
  @Test
  void shippedProfilesLoadAndFitTheMachine() throws Exception {
    for (String name : DeviceProfile.SHIPPED) {
      DeviceProfile p = DeviceProfile.load(name);
      assertEquals(name, p.name());
      assertTrue(p.totalCpu() <= 1.5 + 1e-9, name + " asks for " + p.totalCpu() + " cores");
      for (DeviceProfile.Machine m : p.machines()) {
        assertTrue(m.cpu() > 0 && m.cpu() <= 1, m.toString());
        assertNotNull(m.link(), m.toString());
        assertTrue(m.link().mbit() > 0);
      }
    }
    assertEquals(4, DeviceProfile.load("hetero4").machines().size());
    assertEquals(4, DeviceProfile.load("homo4").machines().size());
    assertEquals(8, DeviceProfile.load("hetero8").machines().size());
  }

  @Test
  void hetero4HasAHalfCorePi4AndQuarterCorePi3s() throws Exception {
    DeviceProfile p = DeviceProfile.load("hetero4");
    List<DeviceProfile.Machine> m = p.machines();
    assertEquals("pi4", m.get(0).name());
    assertEquals(0.5, m.get(0).cpu());
    assertEquals(1000, m.get(0).link().mbit());
    assertEquals("pi3bplus-1", m.get(1).name());
    assertEquals("pi3bplus-2", m.get(2).name());
    assertEquals(0.25, m.get(1).cpu());
    assertEquals(100, m.get(1).link().mbit());
    assertEquals(10_000, p.periodUs());
    assertEquals(
        1,
        DeviceProfile.load("homo4").machines().stream()
            .mapToDouble(DeviceProfile.Machine::cpu)
            .distinct()
            .count());
  }

  @Test
  void piClusterHasTheCalibratedFiguresAndChoosesPacing() throws Exception {
    DeviceProfile p = DeviceProfile.load("pi-cluster");
    List<DeviceProfile.Machine> m = p.machines();
    assertEquals(
        List.of("pi4b", "pi3bplus-1", "pi3bplus-2", "pi3b"),
        m.stream().map(DeviceProfile.Machine::name).toList());
    assertEquals(
        List.of(0.15, 0.088, 0.088, 0.075), m.stream().map(DeviceProfile.Machine::cpu).toList());
    assertEquals(List.of(940.0, 250.0, 250.0, 94.0), m.stream().map(x -> x.link().mbit()).toList());
    assertEquals(List.of(0.15, 0.3, 0.3, 0.3), m.stream().map(x -> x.link().latency()).toList());
    // PI-CALIBRATION.md: (0.15 + 2 x 0.088 + 0.075) / 0.15
    double fastest = m.stream().mapToDouble(DeviceProfile.Machine::cpu).max().orElseThrow();
    assertEquals(2.67, m.stream().mapToDouble(DeviceProfile.Machine::cpu).sum() / fastest, 0.005);
    assertEquals(EmulatedCluster.CpuEmulation.PACE, p.emulation(null));
    assertEquals(
        EmulatedCluster.CpuEmulation.QUOTA, p.emulation(EmulatedCluster.CpuEmulation.QUOTA));
    assertEquals(EmulatedCluster.CpuEmulation.PACE, DeviceProfile.load("hetero4").emulation(null));
    assertEquals(
        EmulatedCluster.CpuEmulation.STEADY, DeviceProfile.load("hetero8").emulation(null));
  }

  @Test
  void pacedWorkersGetAWholeCoreForTheirJvmAndTheOthersTheirShare() {
    assertEquals(1.0, EmulatedCluster.CpuEmulation.PACE.jvmCores(0.088));
    assertEquals(0.088, EmulatedCluster.CpuEmulation.STEADY.jvmCores(0.088));
    assertEquals(0.088, EmulatedCluster.CpuEmulation.QUOTA.jvmCores(0.088));
  }

  @Test
  void anUnknownEmulationInAProfileIsRefused(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(
        f,
        """
        {"name": "bad", "cpuEmulation": "turbo", "devices": [{"name": "a", "cpu": 0.3}]}""");
    assertThrows(Exception.class, () -> DeviceProfile.load(f.toString()));
  }

  @Test
  void readsAFileAndDefaults(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("mine.json");
    Files.writeString(
        f,
        """
        {"name": "mine", "devices": [{"name": "a", "cpu": 0.3}, {"name": "b", "cpu": 0.2, "count": 2,
         "link": {"mbit": 50}}]}""");
    DeviceProfile p = DeviceProfile.load(f.toString());
    assertEquals(DeviceProfile.DEFAULT_PERIOD_US, p.periodUs());
    assertEquals(3, p.machines().size());
    assertNull(p.machines().get(0).link());
    assertEquals(0.0, p.machines().get(1).link().latency());
    assertEquals(0.7, p.totalCpu(), 1e-9);
  }

  @Test
  void rejectsNonsense(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"name\": \"bad\", \"devices\": [{\"name\": \"a\", \"cpu\": 0}]}");
    assertThrows(Exception.class, () -> DeviceProfile.load(f.toString()));
    Files.writeString(f, "{\"name\": \"bad\", \"devices\": []}");
    assertThrows(Exception.class, () -> DeviceProfile.load(f.toString()));
    Files.writeString(
        f,
        "{\"name\": \"bad\", \"devices\": [{\"name\": \"a\", \"cpu\": 0.5, \"link\": {\"mbit\": 0}}]}");
    assertThrows(Exception.class, () -> DeviceProfile.load(f.toString()));
    assertThrows(java.io.IOException.class, () -> DeviceProfile.load("no-such-profile"));
  }
}
