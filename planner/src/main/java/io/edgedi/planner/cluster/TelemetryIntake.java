package io.edgedi.planner.cluster;

import io.edgedi.planner.Rejections;
import io.edgedi.schemas.Telemetry;
import io.edgedi.schemas.codec.BadMessageException;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;

/**
 * Feeds the workers' telemetry (and their last wills, which are telemetry saying offline) into the
 * {@link ClusterView}. A worker is known by its topic, which the broker's ACL ties to its account,
 * so telemetry naming another worker is rejected (SPOOFED_ID). Thread-safe; called on Paho's
 * callback thread of the planner's main connection.
 */
public final class TelemetryIntake {
  private final MessageCodec<Telemetry> codec = Wire.TELEMETRY.codec();
  private final Topics topics;
  private final ClusterView cluster;
  private final Rejections rejections;

  public TelemetryIntake(Topics topics, ClusterView cluster, Rejections rejections) {
    this.topics = topics;
    this.cluster = cluster;
    this.rejections = rejections;
  }

  public void accept(String topic, byte[] payload) {
    try {
      Telemetry t = codec.decode(payload);
      String worker = topics.workerOfTelemetry(topic);
      if (!t.getWorkerId().equals(worker)) {
        rejections.reject(
            RejectReason.SPOOFED_ID,
            "telemetry on " + worker + "'s topic claims worker " + t.getWorkerId(),
            t.getWorkerId(),
            topic,
            payload.length);
        return;
      }
      cluster.update(t, System.currentTimeMillis());
    } catch (BadMessageException e) {
      rejections.reject(e.reason(), e.getMessage(), null, topic, payload.length);
    }
  }
}
