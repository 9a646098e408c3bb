package io.edgedi.cli.emulate;

import io.edgedi.inference.partition.ExactnessCheck;
import io.edgedi.inference.partition.PartitionPlan;
import io.edgedi.inference.partition.PartitionedInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.transport.metrics.Percentiles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * This machine's time for one whole frame of a model on one core, the reference an emulated
 * device's calibrated time is derived from (that time / the device's share). Measured in the
 * emulator's own process, unpaced and unthrottled, with TF on one thread (the caller's), after two
 * warm-up runs. Both clocks are kept: the wall time carries whatever else this shared machine is
 * doing at that moment; the thread's CPU time does not, and it is the clock the emulated workers
 * pace by ({@code DevicePace}), so the calibrated time is the CPU time / share.
 *
 * <p>The caller must have fixed TF at one thread ({@code TfRuntime.useThreads(1)}) before this
 * process ran any model.
 */
public final class OneCoreTime {
  private OneCoreTime() {}

  /** Median wall and CPU milliseconds per frame, and every run's CPU milliseconds. */
  public record Measured(String model, double wallMillis, double cpuMillis, List<Double> cpuRuns) {}

  /** {@code runs} timed monolithic frames after two untimed ones. */
  public static Measured of(FoldedWeights weights, int runs) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    threads.setThreadCpuTimeEnabled(true);
    FeatureMap image = ExactnessCheck.randomImage(weights.model(), new SplittableRandom(7));
    PartitionPlan whole = PartitionPlan.monolithic(weights.model());
    List<Double> wall = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    try (SliceRunner runner = new SliceRunner(weights)) {
      PartitionedInference inference = new PartitionedInference(runner);
      inference.run(whole, image);
      inference.run(whole, image);
      for (int i = 0; i < Math.max(1, runs); i++) {
        long c0 = threads.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        inference.run(whole, image);
        wall.add((System.nanoTime() - w0) / 1e6);
        cpu.add((threads.getCurrentThreadCpuTime() - c0) / 1e6);
      }
    }
    return new Measured(
        weights.model().name(),
        Percentiles.of(wall, 50),
        Percentiles.of(cpu, 50),
        List.copyOf(cpu));
  }

  /** Two measurements of the same model pooled: medians over both sets of runs. */
  public static Measured combine(Measured a, Measured b) {
    if (!a.model().equals(b.model())) {
      throw new IllegalArgumentException("cannot pool " + a.model() + " with " + b.model());
    }
    List<Double> cpu = new ArrayList<>(a.cpuRuns());
    cpu.addAll(b.cpuRuns());
    return new Measured(
        a.model(),
        (a.wallMillis() + b.wallMillis()) / 2,
        Percentiles.of(cpu, 50),
        List.copyOf(cpu));
  }
}
