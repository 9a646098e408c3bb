package io.edgedi.planner.schedule;

import io.edgedi.planner.intake.AcceptedFrame;
import java.util.Set;

/** Brings one frame to an end; called by the scheduler's frame threads, several at once. */
@FunctionalInterface
public interface Settler {
  /**
   * True once the frame is classified or given up for good, false if the planner shut down first
   * (the frame then stays spooled for the next run).
   *
   * @param group the worker ids to plan it on, or null for all usable workers
   */
  boolean settle(AcceptedFrame frame, Set<String> group) throws InterruptedException;
}
