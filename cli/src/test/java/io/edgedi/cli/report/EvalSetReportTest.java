package io.edgedi.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedi.training.eval.EvalReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The eval JSON's field names and order, as docs/results.md reads them. */
class EvalSetReportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> CLEAN =
      List.of(
          "model",
          "weights",
          "data",
          "images",
          "accuracy",
          "perClassAccuracy",
          "minClassAccuracy",
          "ece",
          "meanConfidence",
          "temperature",
          "untrustedRate",
          "untrustedReasons",
          "classes",
          "confusionMatrix",
          "params",
          "macs",
          "inferMillis",
          "threads");

  private static List<String> names(Object value) {
    List<String> out = new ArrayList<>();
    MAPPER.valueToTree(value).fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static EvalReport report(String condition) {
    return new EvalReport(
        "m",
        "w",
        "d",
        condition,
        6,
        0.5,
        Map.of("a", 0.5),
        0.5,
        List.of("a"),
        new int[][] {{3}},
        0.1,
        0.6,
        1,
        0,
        Map.of(),
        10,
        20,
        1.5,
        1);
  }

  @Test
  void cleanOnly() {
    assertEquals(CLEAN, names(EvalSetReport.clean(report("clean"))));
  }

  @Test
  void withConditionsTargetsAndTheSyntheticSet() {
    EvalSetReport.Targets t =
        new EvalSetReport.Targets(
            EvalSetReport.Target.of(0.99, 0.98, true, "clean"),
            EvalSetReport.Target.of(0.9, 0.92, true, "noise"),
            EvalSetReport.Target.of(0.8, 0.8, true, ""),
            EvalSetReport.Target.of(0.04, 0.05, false, "any one condition"),
            EvalSetReport.Target.of(0.03, 0.05, false, "all"));
    EvalSetReport r =
        EvalSetReport.clean(report("clean"))
            .withConditions(7, List.of(EvalSetReport.Condition.of(report("noise:5"))), 0.03, t)
            .withSynthetic(EvalSetReport.clean(report("clean")));
    List<String> expected = new ArrayList<>(CLEAN);
    expected.addAll(List.of("seed", "conditions", "perturbedPooledEce", "targets", "synthetic"));
    assertEquals(expected, names(r));
    assertEquals(
        List.of(
            "condition",
            "accuracy",
            "minClassAccuracy",
            "perClassAccuracy",
            "ece",
            "meanConfidence",
            "untrustedRate",
            "untrustedReasons"),
        names(r.conditions().get(0)));
    assertEquals(
        List.of(
            "cleanAccuracy",
            "worstPerturbedAccuracy",
            "worstPerturbedClassAccuracy",
            "worstEce",
            "perturbedPooledEce"),
        names(t));
    assertEquals(List.of("value", "atLeast", "met", "at"), names(t.cleanAccuracy()));
    assertEquals(
        List.of("value", "atLeast", "met"),
        names(t.worstPerturbedClassAccuracy()),
        "no place: no at");
    assertEquals(List.of("value", "atMost", "met", "at"), names(t.worstEce()));
  }
}
