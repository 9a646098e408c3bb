package io.edgedi.cli;

import io.edgedi.cluster.DeviceProfile;
import io.edgedi.cluster.EmulatedCluster;
import picocli.CommandLine.Option;

/** How {@code bench} and {@code emulate} make this machine into a profile's devices. */
final class EmulationOptions {
  @Option(
      names = "--no-network",
      description = "No network namespaces or link shaping, only CPU quotas.")
  boolean noNetwork;

  @Option(
      names = "--cpu-emulation",
      description =
          "quota: the cgroup CPU quota only (full speed in bursts, then a wait for the next period);"
              + " steady: the quota, and each worker also stretches its compute steps to its device's share;"
              + " pace: compute steps and messaging work paced to the share, the worker JVM under a one-core cap"
              + " (default: the profile's choice, else steady; pi-cluster chooses pace).")
  EmulatedCluster.CpuEmulation cpuEmulation;

  @Option(
      names = "--probe-round-trips",
      defaultValue = "200",
      description =
          "Small-message round trips through the broker per device link for the fidelity check"
              + " (default ${DEFAULT-VALUE}; 0 = none).")
  int probeRoundTrips;

  /** The CPU emulation asked for, else the profile's. */
  EmulatedCluster.CpuEmulation cpuEmulation(DeviceProfile profile) {
    return profile.emulation(cpuEmulation);
  }
}
