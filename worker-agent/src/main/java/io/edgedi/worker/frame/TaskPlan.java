package io.edgedi.worker.frame;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A frame's plan as every worker of it sees it: per stage the band geometry and the worker of each
 * band. From it alone each worker derives which rows it owes which peer between stages and whom it
 * all-reduces with, so the planner never has to say so. Pure geometry (no TF, no MQTT); immutable.
 */
public final class TaskPlan {
  private final ModelSpec model;
  private final List<StageGeometry> stages;
  private final List<List<String>> workers;

  /** One stage as a task names it: its node range, band starts (+ height) and band workers. */
  public record StageSpec(int from, int to, List<Integer> bandStarts, List<String> workers) {}

  private TaskPlan(ModelSpec model, List<StageGeometry> stages, List<List<String>> workers) {
    this.model = model;
    this.stages = List.copyOf(stages);
    this.workers = List.copyOf(workers);
  }

  /**
   * Checks that the stages run the whole trunk in order, that every stage's bands partition its
   * output rows, and that no worker holds two bands of one stage.
   *
   * @throws IllegalArgumentException with the first thing that does not fit
   */
  public static TaskPlan of(ModelSpec model, List<StageSpec> specs) {
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one stage");
    }
    List<StageGeometry> stages = new ArrayList<>();
    List<List<String>> workers = new ArrayList<>();
    int next = 1;
    for (StageSpec s : specs) {
      if (s.from() != next) {
        throw new IllegalArgumentException(
            "stage [" + s.from() + "," + s.to() + ") does not start at node " + next);
      }
      if (s.workers().isEmpty() || s.bandStarts().size() != s.workers().size() + 1) {
        throw new IllegalArgumentException(
            "stage ["
                + s.from()
                + ","
                + s.to()
                + ") has "
                + s.workers().size()
                + " workers and "
                + s.bandStarts().size()
                + " band boundaries");
      }
      Set<String> unique = new HashSet<>(s.workers());
      if (unique.size() != s.workers().size()) {
        throw new IllegalArgumentException(
            "stage [" + s.from() + "," + s.to() + ") names a worker twice: " + s.workers());
      }
      List<RowRange> bands = new ArrayList<>();
      for (int i = 0; i + 1 < s.bandStarts().size(); i++) {
        int a = s.bandStarts().get(i);
        int b = s.bandStarts().get(i + 1);
        if (b < a) {
          throw new IllegalArgumentException("band boundaries " + s.bandStarts() + " go backwards");
        }
        bands.add(new RowRange(a, b));
      }
      stages.add(StageGeometry.of(model, new Stage(s.from(), s.to()), bands));
      workers.add(List.copyOf(s.workers()));
      next = s.to();
    }
    if (next != model.size()) {
      throw new IllegalArgumentException(
          "stages end at node " + next + ", the trunk at " + model.size());
    }
    return new TaskPlan(model, stages, workers);
  }

  public ModelSpec model() {
    return model;
  }

  public int stages() {
    return stages.size();
  }

  public StageGeometry geometry(int stage) {
    return stages.get(stage);
  }

  public List<String> workers(int stage) {
    return workers.get(stage);
  }

  /** The band {@code worker} computes in {@code stage}, or -1 if it has none there. */
  public int band(int stage, String worker) {
    return workers.get(stage).indexOf(worker);
  }

  public boolean takesPart(String worker) {
    for (List<String> w : workers) {
      if (w.contains(worker)) {
        return true;
      }
    }
    return false;
  }

  public boolean isLast(int stage) {
    return stage == stages.size() - 1;
  }

  /**
   * Rows of stage {@code stage}'s input that {@code sender} (a band of the previous stage) holds
   * and {@code receiver} (a band of this stage) needs: its halo, and the rows that change owner
   * when the bands change. Empty if either has no band there or they share no rows.
   */
  public RowRange owed(int stage, String sender, String receiver) {
    if (stage < 1) {
      return new RowRange(0, 0);
    }
    int from = band(stage - 1, sender);
    int to = band(stage, receiver);
    if (from < 0 || to < 0) {
      return new RowRange(0, 0);
    }
    RowRange held = stages.get(stage - 1).bands().get(from);
    RowRange need = stages.get(stage).inputRows(to);
    int s = Math.max(held.start(), need.start());
    int e = Math.min(held.end(), need.end());
    return e > s ? new RowRange(s, e) : new RowRange(0, 0);
  }
}
