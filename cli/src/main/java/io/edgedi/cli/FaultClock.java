package io.edgedi.cli;

import io.edgedi.cli.report.ChaosReport;
import io.edgedi.schemas.Classification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How long the line takes to recover from the chaos run's faults, measured from the outside (the
 * MES subscription): a planner failover lasts from the kill (or stop) of the active planner to the
 * first classification published by another planner; a worker's death heals when every frame that
 * was in flight at the kill is classified (one of them was on the dead worker and had to be
 * re-planned). Thread-safe: the chaos thread starts clocks, Paho's callback thread stops them.
 */
final class FaultClock {
  private final List<Long> failovers = new ArrayList<>();
  private final List<Long> heals = new ArrayList<>();
  private String failedPlanner;
  private long failedAt;
  private Set<String> inFlight;
  private long workerKilledAt;
  private String lastPlanner;

  /** Called for each classification with its arrival time (ms). */
  synchronized void classified(Classification c, long at) {
    String by = c.getPlannerId() == null ? null : c.getPlannerId().toString();
    lastPlanner = by;
    if (failedPlanner != null && by != null && !by.equals(failedPlanner) && at >= failedAt) {
      failovers.add(at - failedAt);
      failedPlanner = null;
    }
    if (inFlight != null && inFlight.remove(c.getFrameId().toString()) && inFlight.isEmpty()) {
      heals.add(at - workerKilledAt);
      inFlight = null;
    }
  }

  /** The planner that published the last classification (the active one, as MES sees it). */
  synchronized String lastPlanner() {
    return lastPlanner;
  }

  synchronized void plannerFailed(String plannerId, long at) {
    failedPlanner = plannerId;
    failedAt = at;
  }

  /**
   * A worker died at {@code at} while {@code unclassified} frames were published and not yet
   * classified.
   */
  synchronized void workerFailed(Set<String> unclassified, long at) {
    workerKilledAt = at;
    inFlight = unclassified.isEmpty() ? null : unclassified;
  }

  synchronized int failovers() {
    return failovers.size();
  }

  synchronized ChaosReport.Recovery failoverMillis() {
    return ChaosReport.Recovery.of(failovers);
  }

  synchronized ChaosReport.Recovery workerHealMillis() {
    return ChaosReport.Recovery.of(heals);
  }
}
