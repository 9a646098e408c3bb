package io.edgedi.planner.cluster;

import io.edgedi.schemas.Telemetry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live picture of the cluster, fed by telemetry (retained, so a new planner sees every worker
 * at once) and last wills (online = false). A worker counts as usable while it says it is online,
 * was heard from recently and runs the planner's model. Thread-safe.
 */
public final class ClusterView {
  private final Map<String, WorkerStatus> workers = new ConcurrentHashMap<>();
  private final long staleAfterMillis;
  private final String model;

  public ClusterView(String model, long staleAfterMillis) {
    this.model = model;
    this.staleAfterMillis = staleAfterMillis;
  }

  public void update(Telemetry t, long nowMillis) {
    workers.put(
        t.getWorkerId(),
        new WorkerStatus(
            t.getWorkerId(),
            t.getOnline(),
            nowMillis,
            t.getSecondsPerGflop(),
            t.getFixedOverheadMillis(),
            t.getCores(),
            t.getLoad(),
            t.getTilesInFlight(),
            t.getModelId()));
  }

  public void markOffline(String workerId) {
    workers.computeIfPresent(workerId, (id, w) -> w.withOnline(false));
  }

  /** Usable workers, ordered by id so plans are reproducible. */
  public List<WorkerStatus> usable(long nowMillis) {
    List<WorkerStatus> out = new ArrayList<>();
    for (WorkerStatus w : workers.values()) {
      if (isUsable(w.workerId(), nowMillis)) {
        out.add(w);
      }
    }
    out.sort(Comparator.comparing(WorkerStatus::workerId));
    return out;
  }

  public boolean isUsable(String workerId, long nowMillis) {
    WorkerStatus w = workers.get(workerId);
    return w != null
        && w.online()
        && nowMillis - w.lastSeenMillis() <= staleAfterMillis
        && model.equals(w.model())
        && w.secondsPerGflop() > 0;
  }

  public List<WorkerStatus> all() {
    List<WorkerStatus> out = new ArrayList<>(workers.values());
    out.sort(Comparator.comparing(WorkerStatus::workerId));
    return out;
  }
}
