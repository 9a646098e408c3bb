package io.edgedi.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The demo, chaos and models JSON field names and order, as README.md and docs/results.md read
 * them.
 */
class DemoAndChaosReportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<String> names(Object value) {
    List<String> out = new ArrayList<>();
    MAPPER.valueToTree(value).fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static DemoReport demo(String note, DemoReport.Stream stream) {
    return new DemoReport(
        "m",
        "w",
        note == null,
        3,
        10,
        10,
        0,
        0,
        null,
        note,
        1,
        Map.of("BLANK", 1L),
        new DemoReport.Latency(1, 2, 3),
        new DemoReport.LatencySplit(1, 2, 3),
        5,
        0,
        "optimal",
        true,
        Map.of(),
        stream,
        null);
  }

  @Test
  void demo() {
    List<String> always =
        List.of(
            "model",
            "weightsVersion",
            "weightsTrained",
            "workers",
            "framesPublished",
            "framesClassified",
            "duplicates",
            "labelledFrames",
            "accuracy",
            "untrustedFrames",
            "untrustedReasons",
            "latencyMillis",
            "latencySplitMillis",
            "framesPerSecond",
            "maxAbsDiffVsMonolithic",
            "planner",
            "workerProcesses",
            "rejectedByPlanner");
    assertEquals(always, names(demo(null, null)));
    JsonNode trained = MAPPER.valueToTree(demo(null, null));
    assertTrue(trained.get("accuracy").isNull(), "no labelled frames: accuracy null, as before");
    List<String> all = new ArrayList<>(always);
    all.add(all.indexOf("accuracy") + 1, "accuracyNote");
    all.add("stream");
    assertEquals(all, names(demo("meaningless", new DemoReport.Stream("file.avi", 6, 0, 0))));
    DemoReport.LineScan scan =
        new DemoReport.LineScan(
            2,
            "1024x600",
            List.of(18),
            "resnet18-scar@v (7 classes)",
            new io.edgedi.training.window.WindowAccuracy().summary(List.of()),
            2,
            1.0,
            0,
            0.0);
    List<String> withScan = new ArrayList<>(always);
    withScan.add("lineScan");
    assertEquals(withScan, names(demo(null, null).withLineScan(scan)));
    assertEquals(
        List.of(
            "strips",
            "stripSize",
            "windowsPerStrip",
            "windowHead",
            "windowAccuracy",
            "stripsWithDefects",
            "stripVerdictIsAPaintedDefect",
            "windowClassMismatchesVsMonolithic",
            "windowMaxConfidenceDiffVsMonolithic"),
        names(scan));
    assertEquals(List.of("p50", "p95", "p99"), names(new DemoReport.Latency(1, 2, 3)));
    assertEquals(
        List.of("queueP50", "computeP50", "transferP50"),
        names(new DemoReport.LatencySplit(1, 2, 3)));
    assertEquals(
        List.of("url", "decoded", "dropped", "reconnects"),
        names(new DemoReport.Stream("u", 1, 2, 3)));
  }

  @Test
  void chaos() {
    ChaosReport r =
        new ChaosReport(
            90,
            "m",
            3,
            100,
            100,
            0,
            0,
            2,
            0,
            2,
            ChaosReport.Recovery.of(List.of(900L, 700L, 1100L)),
            ChaosReport.Recovery.of(List.of()),
            6,
            6,
            Map.of("planner-a", new AtomicLong(6)),
            1.5,
            Map.of(),
            Map.of(),
            Map.of(),
            List.of());
    assertEquals(
        List.of(
            "durationSeconds",
            "model",
            "workers",
            "framesPublished",
            "framesClassified",
            "framesLost",
            "duplicates",
            "repeatsMarked",
            "markedRepeatButFirst",
            "plannerFailovers",
            "failoverMillis",
            "workerHealMillis",
            "badInputsInjected",
            "badInputsRejected",
            "badInputsRejectedByPlanner",
            "rssGrowthPercent",
            "rssGrowthPercentByProcess",
            "rssBytesFirst",
            "rssBytesLast",
            "events"),
        names(r));
    JsonNode j = MAPPER.valueToTree(r);
    assertEquals(
        "{\"samples\":[700,900,1100],\"p50\":900,\"max\":1100}",
        j.get("failoverMillis").toString());
    assertEquals(
        "{\"samples\":[],\"p50\":null,\"max\":null}", j.get("workerHealMillis").toString());
    assertEquals(6, j.at("/badInputsRejectedByPlanner/planner-a").asLong());
  }

  @Test
  void models() {
    ModelsReport.Model m =
        new ModelsReport.Model(
            "vgg16", 1, 2, 3, 4, 5, 6, 7, 8, new ModelsReport.TrunkMillis(1, 2), 9, "stage");
    assertEquals(
        List.of("input", "threads", "models"), names(new ModelsReport("200x200x1", 1, List.of(m))));
    assertEquals(
        List.of(
            "model",
            "params",
            "macs",
            "syncPoints",
            "nodes",
            "cutPoints",
            "inferMillis",
            "tfRunsPerImage",
            "runOverheadMillis",
            "runOverheadTrunkMillis",
            "oneRowRunMillis",
            "oneRowRunStage"),
        names(m));
    assertEquals(List.of("width32", "width64"), names(m.runOverheadTrunkMillis()));
  }
}
