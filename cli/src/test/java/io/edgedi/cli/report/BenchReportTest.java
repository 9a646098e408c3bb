package io.edgedi.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench JSON's field names, as docs/results.md and cli/README.md name them. */
class BenchReportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<String> names(Object value) {
    JsonNode n = MAPPER.valueToTree(value);
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static BenchReport.PlannerResult planner(List<BenchReport.LearnedWorker> learned) {
    return new BenchReport.PlannerResult(
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        0.5,
        2,
        1,
        0.1,
        Map.of(),
        new BenchReport.PlannerBytes(null, 10.0, 40_000, 9_000, 98_000),
        3,
        2,
        4,
        20,
        0,
        60,
        60,
        12,
        Map.of("8", 1.0),
        learned == null ? null : 0.2,
        learned,
        learned == null ? null : List.of());
  }

  @Test
  void topLevelFieldsInTheirOrder() {
    BenchReport r =
        new BenchReport(
            "pi-cluster",
            new BenchReport.Profile("pi-cluster", "d", List.of(), 2.67),
            "vgg16",
            "w",
            20,
            true,
            10_000,
            "pace",
            List.of(),
            "optimal ...",
            "worker-1",
            1,
            List.of(1.0),
            2,
            2,
            3,
            Map.of("optimal", planner(null)),
            Map.of(),
            1.6,
            2.7,
            Map.of(),
            new BenchReport.Scaling(5, 20, Map.of()),
            Map.of(),
            Map.of(),
            0.2,
            0.01,
            List.of(),
            100);
    assertEquals(
        List.of(
            "scenario",
            "profile",
            "model",
            "weightsVersion",
            "frames",
            "throttled",
            "cpuPeriodUs",
            "cpuEmulation",
            "workers",
            "singleWorkerPlanner",
            "fastestWorker",
            "singleWorkerLatencyP50Ms",
            "singleWorkerRunsP50Ms",
            "bound",
            "boundFromSecondsPerGflop",
            "capacityFramesPerSecond",
            "planners",
            "fidelity",
            "edgediSpeedup",
            "edgediSpeedupBound",
            "edgediSpeedupDetail",
            "scaling",
            "planMicros",
            "replanMicros",
            "replanDrift",
            "reusedCutsWorstLoss",
            "notes",
            "elapsedSeconds"),
        names(r));
    assertEquals(List.of("framesPerPoint", "framesAtN", "byPlanner"), names(r.scaling()));
  }

  @Test
  void plannerFieldsWithAndWithoutWhatTheyLearned() {
    List<String> always =
        List.of(
            "latencyP50Ms",
            "latencyP95Ms",
            "speedup",
            "bound",
            "efficiency",
            "interleavedSingleWorkerP50Ms",
            "speedupVsPooledSingleWorker",
            "adjacentSingleWorkerP50Ms",
            "speedupVsAdjacentSingleWorker",
            "framesSplitShare",
            "workersPerFrameMean",
            "predictedLatencyP50Ms",
            "predictionErrorP50",
            "reduceRounds",
            "plannerBytesPerFrame",
            "framesPerSecond",
            "framesPerSecondEveryFrameSplit",
            "capacityFramesPerSecond",
            "framesMeasured",
            "framesFailed",
            "saturationFrames",
            "saturationClassified",
            "saturationSeconds",
            "planMicros");
    assertEquals(always, names(planner(null)));
    List<String> learned = new ArrayList<>(always);
    learned.addAll(List.of("learnedLinkLatencyMeanMs", "learnedWorkers", "whatIfLinks"));
    assertEquals(learned, names(planner(List.of(new BenchReport.LearnedWorker("w", 1, 2, 3, 4)))));
    assertEquals(
        List.of("worker", "secondsPerGflop", "overheadMs", "linkMBytesPerSecond", "linkLatencyMs"),
        names(new BenchReport.LearnedWorker("w", 1, 2, 3, 4)));
    JsonNode bytes = MAPPER.valueToTree(planner(null).plannerBytesPerFrame());
    assertEquals(
        List.of("splitFramesP50", "allFramesP50", "inputFrameBytes", "headFeatureBytes", "budget"),
        names(planner(null).plannerBytesPerFrame()));
    assertEquals(true, bytes.get("splitFramesP50").isNull(), "no split frames: null, as before");
  }

  @Test
  void aDeviceWithoutALinkHasNoLinkFields() {
    assertEquals(
        List.of("name", "kind", "cpuCores"),
        names(new BenchReport.Device("pi3", "Pi 3B", 0.075, null, null)));
    assertEquals(
        List.of("name", "kind", "cpuCores", "linkMbit", "linkLatencyMs"),
        names(new BenchReport.Device("pi3", "Pi 3B", 0.075, 94.0, 0.0)));
    assertEquals(
        List.of(
            "workers",
            "workerIds",
            "latencyP50Ms",
            "speedup",
            "bound",
            "efficiency",
            "framesSplitShare"),
        names(new BenchReport.ScalingPoint(2, List.of("a", "b"), 1, 1, 1, 1, 0)));
    assertEquals(
        List.of("name", "description", "devices", "shareBound"),
        names(new BenchReport.Profile("p", "d", List.of(), 1)));
  }
}
