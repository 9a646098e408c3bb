package io.edgedi.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An emulated cluster: devices with a CPU share (cores, e.g. 0.25 = a quarter of one core) and,
 * optionally, a link (bandwidth and added one-way latency). A device with {@code count > 1} stands
 * for that many identical devices. Profiles are JSON files; the shipped ones ({@code hetero4},
 * {@code homo4}, {@code hetero8}, {@code pi-cluster}) are resources under {@code /profiles/}. A
 * profile may name the CPU emulation it was made for ({@link EmulatedCluster.CpuEmulation}); a
 * command-line choice overrides it.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record DeviceProfile(
    @JsonProperty("name") String name,
    @JsonProperty("description") String description,
    @JsonProperty("cpuPeriodUs") Long cpuPeriodUs,
    @JsonProperty("cpuEmulation") String cpuEmulation,
    @JsonProperty("devices") List<Device> devices) {
  /** CFS period used when a profile names none. */
  public static final long DEFAULT_PERIOD_US = 100_000;

  public static final List<String> SHIPPED = List.of("hetero4", "homo4", "hetero8", "pi-cluster");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A device kind; {@code link} null = no network shaping for it. */
  public record Device(
      @JsonProperty("name") String name,
      @JsonProperty("kind") String kind,
      @JsonProperty("cpu") double cpu,
      @JsonProperty("count") Integer count,
      @JsonProperty("link") Link link) {}

  /** Bandwidth in Mbit/s (each direction) and added one-way delay in milliseconds (0 = none). */
  public record Link(
      @JsonProperty("mbit") double mbit, @JsonProperty("latencyMs") Double latencyMs) {
    public double latency() {
      return latencyMs == null ? 0 : latencyMs;
    }
  }

  /** One emulated machine: the profile's devices with counts expanded, in profile order. */
  public record Machine(String name, String kind, double cpu, Link link) {}

  public DeviceProfile {
    if (devices == null || devices.isEmpty()) {
      throw new IllegalArgumentException("profile " + name + " has no devices");
    }
    for (Device d : devices) {
      if (d.name() == null || d.name().isBlank()) {
        throw new IllegalArgumentException("profile " + name + ": a device has no name");
      }
      if (!(d.cpu() > 0) || d.cpu() > 64) {
        throw new IllegalArgumentException(
            "profile "
                + name
                + ": device "
                + d.name()
                + " needs 0 < cpu <= 64 cores, has "
                + d.cpu());
      }
      if (d.count() != null && d.count() < 1) {
        throw new IllegalArgumentException(
            "profile " + name + ": device " + d.name() + " has count " + d.count());
      }
      if (d.link() != null && (!(d.link().mbit() > 0) || d.link().latency() < 0)) {
        throw new IllegalArgumentException(
            "profile " + name + ": device " + d.name() + " needs link.mbit > 0 and latencyMs >= 0");
      }
    }
    if (cpuEmulation != null) {
      EmulatedCluster.CpuEmulation.parse(cpuEmulation);
    }
    if (cpuPeriodUs != null && (cpuPeriodUs < 1_000 || cpuPeriodUs > 1_000_000)) {
      throw new IllegalArgumentException(
          "profile " + name + ": cpuPeriodUs must be within 1000..1000000 (kernel limits)");
    }
  }

  /** The emulation the command line chose, else the profile's, else {@code steady}. */
  public EmulatedCluster.CpuEmulation emulation(EmulatedCluster.CpuEmulation chosen) {
    if (chosen != null) {
      return chosen;
    }
    return cpuEmulation == null
        ? EmulatedCluster.CpuEmulation.STEADY
        : EmulatedCluster.CpuEmulation.parse(cpuEmulation);
  }

  public long periodUs() {
    return cpuPeriodUs == null ? DEFAULT_PERIOD_US : cpuPeriodUs;
  }

  /** The devices with counts expanded; names get a -1, -2... suffix where count > 1. */
  public List<Machine> machines() {
    List<Machine> out = new ArrayList<>();
    for (Device d : devices) {
      int n = d.count() == null ? 1 : d.count();
      for (int i = 1; i <= n; i++) {
        out.add(
            new Machine(
                n == 1 ? d.name() : d.name() + "-" + i,
                d.kind() == null ? d.name() : d.kind(),
                d.cpu(),
                d.link()));
      }
    }
    return out;
  }

  public double totalCpu() {
    return machines().stream().mapToDouble(Machine::cpu).sum();
  }

  /**
   * A profile file if {@code fileOrName} is an existing file, else the shipped profile of that
   * name.
   */
  public static DeviceProfile load(String fileOrName) throws IOException {
    Path file = Path.of(fileOrName);
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        return MAPPER.readValue(in, DeviceProfile.class);
      }
    }
    String name =
        fileOrName.endsWith(".json")
            ? fileOrName.substring(0, fileOrName.length() - 5)
            : fileOrName;
    try (InputStream in = DeviceProfile.class.getResourceAsStream("/profiles/" + name + ".json")) {
      if (in == null) {
        throw new IOException(
            "no profile file "
                + fileOrName
                + " and no shipped profile of that name (shipped: "
                + String.join(", ", SHIPPED)
                + ")");
      }
      return MAPPER.readValue(in, DeviceProfile.class);
    }
  }
}
