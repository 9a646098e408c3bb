package io.edgedi.planner.plan;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.inference.geometry.StageCuts;
import io.edgedi.inference.geometry.StageGeometry;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.partition.BandSplit;
import io.edgedi.planner.cluster.WorkerStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows in proportion to each worker's measured GFLOP/s, stages cut at the smallest map of each
 * resolution ({@link StageCuts#atSmallestMaps}). Predictions count the band's MACs with halo plus
 * the worker's fixed overhead; transfers are not priced.
 */
public final class ProportionalStrategy implements PartitionStrategy {
  @Override
  public String name() {
    return "proportional";
  }

  @Override
  public AssignedStage planStage(ModelSpec model, Stage stage, List<WorkerStatus> workers) {
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("no usable worker");
    }
    double[] speed = new double[workers.size()];
    for (int i = 0; i < speed.length; i++) {
      speed[i] = workers.get(i).gflopsPerSecond();
    }
    int rows = model.shape(stage.outputNode()).height();
    List<RowRange> bands = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    int[] heights = BandSplit.heights(rows, speed);
    int start = 0;
    for (int i = 0; i < heights.length; i++) {
      if (heights[i] > 0) {
        bands.add(new RowRange(start, start + heights[i]));
        ids.add(workers.get(i).workerId());
        start += heights[i];
      }
    }
    StageGeometry geo = StageGeometry.of(model, stage, bands);
    List<Double> predicted = new ArrayList<>();
    for (int w = 0; w < bands.size(); w++) {
      WorkerStatus ws = byId(workers, ids.get(w));
      predicted.add(2.0 * geo.macs(w) / 1e9 * ws.secondsPerGflop() * 1e3 + ws.overheadMillis());
    }
    return new AssignedStage(stage, bands, ids, predicted);
  }

  private static WorkerStatus byId(List<WorkerStatus> workers, String id) {
    return workers.stream().filter(w -> w.workerId().equals(id)).findFirst().orElseThrow();
  }
}
