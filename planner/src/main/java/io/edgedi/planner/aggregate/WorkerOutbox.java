package io.edgedi.planner.aggregate;

import io.edgedi.schemas.Gate;
import io.edgedi.schemas.Tile;

/** Sends work to a worker; the MQTT implementation publishes on the worker's tiles topic. */
public interface WorkerOutbox {
  void sendTile(Tile tile) throws Exception;

  void sendGate(Gate gate) throws Exception;
}
