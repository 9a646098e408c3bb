package io.edgedi.planner.aggregate;

import io.edgedi.schemas.FrameTask;

/**
 * Sends a frame task to its worker; the MQTT implementation publishes on the worker's tasks topic.
 */
public interface TaskOutbox {
  /** Returns the bytes sent. */
  int sendTask(FrameTask task) throws Exception;
}
