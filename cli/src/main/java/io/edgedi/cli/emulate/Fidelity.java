package io.edgedi.cli.emulate;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the emulated devices are what they claim (shared/design/PI-CALIBRATION.md): each device's
 * measured single-worker frame time against its calibrated time (this machine's one-core time for
 * the model, measured in the same run, over the device's share), and what a small message's round
 * trip through the broker costs from each device's link.
 */
public final class Fidelity {
  /** How far a device's frame time may be from its calibrated time and still pass. */
  public static final double TOLERANCE = 0.15;

  private Fidelity() {}

  /** One device: measured single-worker frame p50 against the calibrated time. */
  public record Device(
      String worker,
      String device,
      double share,
      double measuredMillis,
      double calibratedMillis,
      double calibratedFromWallMillis) {
    public double ratio() {
      return calibratedMillis > 0 ? measuredMillis / calibratedMillis : 0;
    }

    public boolean within() {
      return measuredMillis > 0 && Math.abs(ratio() - 1) <= TOLERANCE;
    }
  }

  /**
   * A device's calibrated time: the reference frame's one-core CPU time (and wall time) over its
   * share.
   */
  public static Device device(
      String worker, String device, double share, double measuredMillis, OneCoreTime.Measured ref) {
    return new Device(
        worker, device, share, measuredMillis, ref.cpuMillis() / share, ref.wallMillis() / share);
  }

  /**
   * Round trips of a small message from the bench process through the broker to a device's link and
   * back.
   */
  public record RoundTrip(
      String worker,
      String device,
      int bytes,
      int count,
      double p50Millis,
      double p95Millis,
      String problem) {}

  public static Map<String, Object> json(
      OneCoreTime.Measured ref, List<Device> devices, List<RoundTrip> trips) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tolerance", TOLERANCE);
    out.put("oneCoreModel", ref.model());
    out.put("oneCoreCpuMs", BenchMath.round(ref.cpuMillis(), 2));
    out.put("oneCoreWallMs", BenchMath.round(ref.wallMillis(), 2));
    out.put("oneCoreRunsCpuMs", ref.cpuRuns().stream().map(v -> BenchMath.round(v, 2)).toList());
    out.put(
        "calibratedMeans", "oneCoreCpuMs / share (calibratedFromWallMs: oneCoreWallMs / share)");
    List<Map<String, Object>> ds = new ArrayList<>();
    for (Device d : devices) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("worker", d.worker());
      m.put("device", d.device());
      m.put("share", d.share());
      m.put("singleWorkerP50Ms", BenchMath.round(d.measuredMillis(), 2));
      m.put("calibratedMs", BenchMath.round(d.calibratedMillis(), 2));
      m.put("calibratedFromWallMs", BenchMath.round(d.calibratedFromWallMillis(), 2));
      m.put("ratio", BenchMath.round(d.ratio(), 3));
      m.put("withinTolerance", d.within());
      ds.add(m);
    }
    out.put("devices", ds);
    out.put(
        "allDevicesWithinTolerance",
        !devices.isEmpty() && devices.stream().allMatch(Device::within));
    List<Map<String, Object>> rt = new ArrayList<>();
    for (RoundTrip t : trips) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("worker", t.worker());
      m.put("device", t.device());
      m.put("bytes", t.bytes());
      m.put("count", t.count());
      if (t.problem() == null) {
        m.put("p50Ms", BenchMath.round(t.p50Millis(), 3));
        m.put("p95Ms", BenchMath.round(t.p95Millis(), 3));
      } else {
        m.put("problem", t.problem());
      }
      rt.add(m);
    }
    out.put("brokerRoundTrip", rt);
    out.put(
        "brokerRoundTripPath",
        "bench process -> broker -> an echo client in the device's network namespace"
            + " (its shaped link; an unpaced JVM of its own) -> broker -> bench process, QoS 1");
    return out;
  }

  public static void print(
      PrintStream out, OneCoreTime.Measured ref, List<Device> devices, List<RoundTrip> trips) {
    out.printf(
        "fidelity   one core here: %s %.1f ms CPU (%.1f ms wall) per frame; calibrated = that / share, within %.0f%%%n",
        ref.model(), ref.cpuMillis(), ref.wallMillis(), 100 * TOLERANCE);
    for (Device d : devices) {
      out.printf(
          "fidelity   %-9s %-11s share %.3f  single-worker p50 %8.1f ms  calibrated %8.1f ms  ratio %.2f  %s%n",
          d.worker(),
          d.device(),
          d.share(),
          d.measuredMillis(),
          d.calibratedMillis(),
          d.ratio(),
          d.within() ? "ok" : "OFF");
    }
    for (RoundTrip t : trips) {
      if (t.problem() == null) {
        out.printf(
            "fidelity   %-9s %-11s %d-byte round trip through the broker p50 %.2f ms  p95 %.2f ms (%d)%n",
            t.worker(), t.device(), t.bytes(), t.p50Millis(), t.p95Millis(), t.count());
      } else {
        out.printf(
            "fidelity   %-9s %-11s round trip not measured: %s%n",
            t.worker(), t.device(), t.problem());
      }
    }
  }
}
