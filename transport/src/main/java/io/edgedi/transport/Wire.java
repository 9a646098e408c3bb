package io.edgedi.transport;

import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.FrameTask;
import io.edgedi.schemas.PartitionPlan;
import io.edgedi.schemas.PeerRows;
import io.edgedi.schemas.PeerSums;
import io.edgedi.schemas.PlannerLease;
import io.edgedi.schemas.Telemetry;
import java.util.List;

/**
 * The one table of what travels over MQTT: per message type its codec, topic and payload limit.
 * Every component decodes with these codecs, so a message one role accepts no other role refuses
 * for its size; payload limits are defined here and nowhere else.
 *
 * <p>The limits follow from what a message can hold: a frame is one image (4 MiB is a 2048 x 2048
 * gray picture, ten times the 200 x 200 the models take); tasks and peer rows carry image or
 * feature-map rows, as many as the broker passes; sums, results, plans, classifications and error
 * reports are a few KB, 1 MiB leaves room for large models; telemetry and the lease are a handful
 * of fields.
 */
public final class Wire {
  /**
   * The largest MQTT packet the broker accepts (HiveMQ {@code max-packet-size}, Mosquitto {@code
   * max_packet_size}).
   */
  public static final int BROKER_MAX_PACKET_BYTES = 16 << 20;

  /** Room for the fixed header, topic and properties of a publish within one packet. */
  private static final int PACKET_HEADER_ROOM_BYTES = 64 << 10;

  /** The largest payload the broker passes. */
  public static final int LARGEST_PAYLOAD_BYTES =
      BROKER_MAX_PACKET_BYTES - PACKET_HEADER_ROOM_BYTES;

  /** A frame's limit; a compile-time constant so that command-line defaults can name it. */
  public static final int FRAME_BYTES = 4 << 20;

  /**
   * The largest encoded picture (JPEG, PNG, BMP) a smart camera may publish on its images topic.
   */
  public static final int IMAGE_BYTES = 4 << 20;

  private static final int SMALL_BYTES = 1 << 20;

  public static final WireMessage<Frame> FRAME =
      new WireMessage<>(Frame.class, "edgedi/v1/{site}/{line}/frames/{camera}", FRAME_BYTES);
  public static final WireMessage<Telemetry> TELEMETRY =
      new WireMessage<>(Telemetry.class, "edgedi/v1/{site}/workers/{worker}/telemetry", 64 << 10);
  public static final WireMessage<FrameTask> FRAME_TASK =
      new WireMessage<>(
          FrameTask.class, "edgedi/v1/{site}/workers/{worker}/tasks", LARGEST_PAYLOAD_BYTES);
  public static final WireMessage<PeerRows> PEER_ROWS =
      new WireMessage<>(
          PeerRows.class,
          "edgedi/v1/{site}/workers/{receiver}/peer/{sender}",
          LARGEST_PAYLOAD_BYTES);
  public static final WireMessage<PeerSums> PEER_SUMS =
      new WireMessage<>(
          PeerSums.class, "edgedi/v1/{site}/workers/{receiver}/peer/{sender}", SMALL_BYTES);
  public static final WireMessage<BandResult> BAND_RESULT =
      new WireMessage<>(
          BandResult.class, "edgedi/v1/{site}/planners/{planner}/partials", SMALL_BYTES);
  public static final WireMessage<PartitionPlan> PARTITION_PLAN =
      new WireMessage<>(PartitionPlan.class, "edgedi/v1/{site}/plans", SMALL_BYTES);
  public static final WireMessage<Classification> CLASSIFICATION =
      new WireMessage<>(
          Classification.class, "edgedi/v1/{site}/{line}/classifications/{camera}", SMALL_BYTES);
  public static final WireMessage<io.edgedi.schemas.Error> ERROR =
      new WireMessage<>(
          io.edgedi.schemas.Error.class, "edgedi/v1/{site}/errors/{component}", SMALL_BYTES);
  public static final WireMessage<PlannerLease> PLANNER_LEASE =
      new WireMessage<>(PlannerLease.class, "edgedi/v1/{site}/planners/lease", 4 << 10);

  /**
   * Every message type, in the order of {@link io.edgedi.schemas.codec.MessageCodec#MESSAGE_TYPES}.
   */
  public static final List<WireMessage<?>> ALL =
      List.of(
          FRAME,
          TELEMETRY,
          FRAME_TASK,
          PEER_ROWS,
          PEER_SUMS,
          BAND_RESULT,
          PARTITION_PLAN,
          CLASSIFICATION,
          ERROR,
          PLANNER_LEASE);

  private Wire() {}
}
