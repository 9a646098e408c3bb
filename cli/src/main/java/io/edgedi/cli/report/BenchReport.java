package io.edgedi.cli.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What {@code edgedi bench --json} writes. The field names are the report's format: docs/results.md
 * and cli/README.md describe them and scripts read them, so they change only with both. Parts
 * produced by the emulation's own classes (workers, fidelity, the speedup's detail, reduce rounds,
 * what-if links) stay as they build them.
 */
public record BenchReport(
    String scenario,
    Profile profile,
    String model,
    String weightsVersion,
    int frames,
    boolean throttled,
    long cpuPeriodUs,
    String cpuEmulation,
    List<Map<String, Object>> workers,
    String singleWorkerPlanner,
    String fastestWorker,
    double singleWorkerLatencyP50Ms,
    List<Double> singleWorkerRunsP50Ms,
    double bound,
    double boundFromSecondsPerGflop,
    double capacityFramesPerSecond,
    Map<String, PlannerResult> planners,
    Map<String, Object> fidelity,
    double edgediSpeedup,
    double edgediSpeedupBound,
    Map<String, Object> edgediSpeedupDetail,
    Scaling scaling,
    Map<String, Double> planMicros,
    Map<String, Double> replanMicros,
    double replanDrift,
    double reusedCutsWorstLoss,
    List<String> notes,
    long elapsedSeconds) {

  /**
   * The emulated cluster as its profile describes it; {@code shareBound} from the devices' CPU
   * shares.
   */
  public record Profile(String name, String description, List<Device> devices, double shareBound) {}

  /** One device; the link fields only for a device with a shaped link. */
  public record Device(
      String name,
      String kind,
      double cpuCores,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double linkMbit,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double linkLatencyMs) {}

  /**
   * One planner on all N workers (cli/README.md, "emulate and bench", says what each figure is).
   * The learned-link fields only when the planner had a view of its workers.
   */
  public record PlannerResult(
      double latencyP50Ms,
      double latencyP95Ms,
      double speedup,
      double bound,
      double efficiency,
      double interleavedSingleWorkerP50Ms,
      double speedupVsPooledSingleWorker,
      double adjacentSingleWorkerP50Ms,
      double speedupVsAdjacentSingleWorker,
      double framesSplitShare,
      double workersPerFrameMean,
      double predictedLatencyP50Ms,
      double predictionErrorP50,
      Map<String, Object> reduceRounds,
      PlannerBytes plannerBytesPerFrame,
      double framesPerSecond,
      double framesPerSecondEveryFrameSplit,
      double capacityFramesPerSecond,
      int framesMeasured,
      int framesFailed,
      int saturationFrames,
      int saturationClassified,
      double saturationSeconds,
      Map<String, Double> planMicros,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double learnedLinkLatencyMeanMs,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<LearnedWorker> learnedWorkers,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Map<String, Object>> whatIfLinks) {}

  /**
   * Bytes through the planner per frame against the budget of twice the input frame plus the head's
   * input.
   */
  public record PlannerBytes(
      Double splitFramesP50,
      Double allFramesP50,
      long inputFrameBytes,
      long headFeatureBytes,
      long budget) {}

  /** A worker's speed, per-run overhead and link as the planner had learned them. */
  public record LearnedWorker(
      String worker,
      double secondsPerGflop,
      double overheadMs,
      double linkMBytesPerSecond,
      double linkLatencyMs) {}

  /** The speedup curve: per planner one point per cluster size. */
  public record Scaling(
      int framesPerPoint, int framesAtN, Map<String, List<ScalingPoint>> byPlanner) {}

  public record ScalingPoint(
      int workers,
      List<String> workerIds,
      double latencyP50Ms,
      double speedup,
      double bound,
      double efficiency,
      double framesSplitShare) {}
}
