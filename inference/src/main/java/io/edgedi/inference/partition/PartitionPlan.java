package io.edgedi.inference.partition;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * How one frame's trunk is split: consecutive stages covering every node, each with its bands. Band
 * {@code i} of every stage goes to the same worker slot {@code i}; a stage may use fewer slots than
 * another.
 */
public record PartitionPlan(List<StagePlan> stages) {
  public PartitionPlan {
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one stage");
    }
  }

  /** Checks that the stages tile the model's trunk and every stage's bands fit; returns this. */
  public PartitionPlan checkAgainst(ModelSpec model) {
    int next = 1;
    for (StagePlan s : stages) {
      if (s.stage().from() != next) {
        throw new IllegalArgumentException("stage " + s.stage() + " should start at node " + next);
      }
      StageGeometry.of(model, s.stage(), s.bands());
      next = s.stage().to();
    }
    if (next != model.size()) {
      throw new IllegalArgumentException(
          "plan ends at node " + next + ", model has " + model.size());
    }
    return this;
  }

  /** The whole trunk as one stage on one device: monolithic inference. */
  public static PartitionPlan monolithic(ModelSpec model) {
    int rows = model.shape(model.lastNode()).height();
    return new PartitionPlan(
        List.of(new StagePlan(new Stage(1, model.size()), List.of(new RowRange(0, rows)))));
  }

  /** Cuts the trunk at the given boundaries and splits each stage's output rows by weight. */
  public static PartitionPlan proportional(ModelSpec model, List<Integer> cuts, double[] weights) {
    List<StagePlan> out = new ArrayList<>();
    int from = 1;
    List<Integer> ends = new ArrayList<>(cuts);
    ends.add(model.size());
    for (int to : ends) {
      if (to <= from) {
        continue;
      }
      Stage stage = new Stage(from, to);
      out.add(
          new StagePlan(
              stage, BandSplit.proportional(model.shape(stage.outputNode()).height(), weights)));
      from = to;
    }
    return new PartitionPlan(out).checkAgainst(model);
  }
}
