package io.edgedi.cli.emulate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paper's headline figure: the original model (vgg16) alone on the fastest device over the
 * compact model split across the cluster. The original's time alone is derived, not run: its
 * one-core time here (measured in the same run, {@link OneCoreTime}) over the fastest device's
 * share, which is how every emulated device is paced; the fidelity check shows how close the
 * compact model's measured single-worker frames come to the same derivation. The bound is what
 * compression alone gives on that device (original alone / compact alone, both on the fastest)
 * times the partitioning bound (summed device rates over the fastest's).
 */
public record EdgediSpeedup(
    String originalModel,
    double originalOneCoreCpuMillis,
    double fastestShare,
    String fastestWorker,
    String fastestDevice,
    String compactModel,
    double compactAloneMillis,
    String splitPlanner,
    double compactSplitMillis,
    double partitionBound,
    double shareBound) {

  public static EdgediSpeedup of(
      OneCoreTime.Measured original,
      double fastestShare,
      String fastestWorker,
      String fastestDevice,
      String compactModel,
      double compactAloneMillis,
      String splitPlanner,
      double compactSplitMillis,
      double partitionBound,
      double shareBound) {
    return new EdgediSpeedup(
        original.model(),
        original.cpuMillis(),
        fastestShare,
        fastestWorker,
        fastestDevice,
        compactModel,
        compactAloneMillis,
        splitPlanner,
        compactSplitMillis,
        partitionBound,
        shareBound);
  }

  /**
   * The original model's frame time alone on the fastest device: its one-core time / that share.
   */
  public double originalAloneMillis() {
    return originalOneCoreCpuMillis / fastestShare;
  }

  public double speedup() {
    return BenchMath.speedup(originalAloneMillis(), compactSplitMillis);
  }

  /** What compressing buys on the fastest device alone (measured compact frames there). */
  public double compressionSpeedup() {
    return BenchMath.speedup(originalAloneMillis(), compactAloneMillis);
  }

  /**
   * Compression times the partitioning bound: what a perfect split of the compact model would
   * reach.
   */
  public double bound() {
    return compressionSpeedup() * partitionBound;
  }

  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("originalModel", originalModel);
    m.put("originalAloneMs", BenchMath.round(originalAloneMillis(), 1));
    m.put(
        "originalAloneMeans",
        "derived: "
            + originalModel
            + "'s one-core CPU time here ("
            + BenchMath.round(originalOneCoreCpuMillis, 1)
            + " ms, measured in this run) / the fastest device's share ("
            + fastestShare
            + "), as the emulated devices are paced; not run on the emulated device");
    m.put("fastestWorker", fastestWorker);
    m.put("fastestDevice", fastestDevice);
    m.put("compactModel", compactModel);
    m.put("compactAloneOnFastestMs", BenchMath.round(compactAloneMillis, 1));
    m.put("splitPlanner", splitPlanner);
    m.put("compactSplitP50Ms", BenchMath.round(compactSplitMillis, 1));
    m.put("edgediSpeedup", BenchMath.round(speedup(), 3));
    m.put("compressionSpeedup", BenchMath.round(compressionSpeedup(), 3));
    m.put(
        "partitionSpeedup",
        BenchMath.round(BenchMath.speedup(compactAloneMillis, compactSplitMillis), 3));
    m.put("partitionBound", BenchMath.round(partitionBound, 3));
    m.put("partitionBoundFromShares", BenchMath.round(shareBound, 3));
    m.put("edgediSpeedupBound", BenchMath.round(bound(), 3));
    return m;
  }

  public String line() {
    return String.format(
        "edgedi     %s alone on %s (%s) %.0f ms (derived: one core here / %.3f) over %s split by %s"
            + " %.1f ms: edgediSpeedup %.2f (bound %.2f = compression %.2f x partition bound %.2f; shares alone %.2f)",
        originalModel,
        fastestWorker,
        fastestDevice,
        originalAloneMillis(),
        fastestShare,
        compactModel,
        splitPlanner,
        compactSplitMillis,
        speedup(),
        bound(),
        compressionSpeedup(),
        partitionBound,
        shareBound);
  }
}
