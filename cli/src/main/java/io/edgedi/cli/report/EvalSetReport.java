package io.edgedi.cli.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.edgedi.training.eval.EvalReport;
import java.util.List;
import java.util.Map;

/**
 * What {@code edgedi eval --json} writes for one image set: the clean result, and with {@code
 * --perturb} each condition's and the targets (docs/results.md's capture-conditions table is made
 * from these). The evaluation set's report carries the synthetic set's in {@code synthetic} when
 * both ran.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalSetReport(
    String model,
    String weights,
    String data,
    int images,
    double accuracy,
    Map<String, Double> perClassAccuracy,
    double minClassAccuracy,
    double ece,
    double meanConfidence,
    double temperature,
    double untrustedRate,
    Map<String, Integer> untrustedReasons,
    List<String> classes,
    int[][] confusionMatrix,
    long params,
    long macs,
    double inferMillis,
    int threads,
    Long seed,
    List<Condition> conditions,
    Double perturbedPooledEce,
    Targets targets,
    EvalSetReport synthetic) {

  /** The clean result alone. */
  public static EvalSetReport clean(EvalReport r) {
    return new EvalSetReport(
        r.model(),
        r.weights(),
        r.data(),
        r.images(),
        r.accuracy(),
        r.perClassAccuracy(),
        r.minClassAccuracy(),
        r.ece(),
        r.meanConfidence(),
        r.temperature(),
        r.untrustedRate(),
        r.untrustedReasons(),
        r.classes(),
        r.confusion(),
        r.params(),
        r.macs(),
        r.inferMillis(),
        r.threads(),
        null,
        null,
        null,
        null,
        null);
  }

  /** With the conditions' results (the clean one first) and the targets. */
  public EvalSetReport withConditions(
      long seed, List<Condition> conditions, double pooledEce, Targets targets) {
    return new EvalSetReport(
        model,
        weights,
        data,
        images,
        accuracy,
        perClassAccuracy,
        minClassAccuracy,
        ece,
        meanConfidence,
        temperature,
        untrustedRate,
        untrustedReasons,
        classes,
        confusionMatrix,
        params,
        macs,
        inferMillis,
        threads,
        seed,
        conditions,
        pooledEce,
        targets,
        synthetic);
  }

  public EvalSetReport withSynthetic(EvalSetReport s) {
    return new EvalSetReport(
        model,
        weights,
        data,
        images,
        accuracy,
        perClassAccuracy,
        minClassAccuracy,
        ece,
        meanConfidence,
        temperature,
        untrustedRate,
        untrustedReasons,
        classes,
        confusionMatrix,
        params,
        macs,
        inferMillis,
        threads,
        seed,
        conditions,
        perturbedPooledEce,
        targets,
        s);
  }

  /** One capture condition's result. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Condition(
      String condition,
      double accuracy,
      double minClassAccuracy,
      Map<String, Double> perClassAccuracy,
      double ece,
      double meanConfidence,
      double untrustedRate,
      Map<String, Integer> untrustedReasons) {
    public static Condition of(EvalReport r) {
      return new Condition(
          r.condition(),
          r.accuracy(),
          r.minClassAccuracy(),
          r.perClassAccuracy(),
          r.ece(),
          r.meanConfidence(),
          r.untrustedRate(),
          r.untrustedReasons());
    }
  }

  /** The shipped model's targets, each with the value measured against it. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Targets(
      Target cleanAccuracy,
      Target worstPerturbedAccuracy,
      Target worstPerturbedClassAccuracy,
      Target worstEce,
      Target perturbedPooledEce) {}

  /**
   * A value against a floor ({@code atLeast}) or a ceiling ({@code atMost}); {@code at}: where it
   * was measured.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Target(double value, Double atLeast, Double atMost, boolean met, String at) {
    public static Target of(double value, double limit, boolean atLeast, String where) {
      return new Target(
          value,
          atLeast ? limit : null,
          atLeast ? null : limit,
          atLeast ? value >= limit : value <= limit,
          where.isEmpty() ? null : where);
    }
  }
}
