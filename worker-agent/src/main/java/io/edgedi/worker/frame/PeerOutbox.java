package io.edgedi.worker.frame;

import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.PeerRows;
import io.edgedi.schemas.PeerSums;

/**
 * Where a frame part's messages go: the MQTT implementation publishes them on the receiver's peer
 * topic (signed with this worker's id by the topic) or on the planner's partials topic. Called on
 * the compute thread; a failure aborts the frame part (the planner re-runs the frame).
 */
public interface PeerOutbox {
  void rows(String receiver, PeerRows rows) throws Exception;

  /** The same sums to every other worker of a stage (encoded once). */
  void sums(java.util.List<String> receivers, PeerSums sums) throws Exception;

  void result(String planner, BandResult result) throws Exception;
}
