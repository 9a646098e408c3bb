package io.edgedi.schemas.codec;

import io.edgedi.schemas.Band;
import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.FrameTask;
import io.edgedi.schemas.PartitionPlan;
import io.edgedi.schemas.PeerRows;
import io.edgedi.schemas.PeerSums;
import io.edgedi.schemas.StageCost;
import io.edgedi.schemas.StagePlan;
import io.edgedi.schemas.TaskStage;
import io.edgedi.schemas.Telemetry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * One realistic, fully populated record of every message type, built without schemaVersion so the
 * .avsc default (1) is exercised.
 */
final class Samples {
  static {
    // Builders resolve the nested WindowVerdict record for their default; a codec does this first
    // in production.
    io.edgedi.schemas.codec.AvroTrust.install();
  }

  static final List<String> CLASS_NAMES =
      List.of("crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches");

  private Samples() {}

  static List<SpecificRecord> all() {
    return List.of(
        frame(),
        telemetry(),
        task(),
        peerRows(),
        peerSums(),
        bandResult(),
        plan(),
        classification(),
        error(),
        lease());
  }

  static Frame frame() {
    byte[] pixels = new byte[20 * 16];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    return Frame.newBuilder()
        .setFrameId("cam1-000042")
        .setSite("plant-a")
        .setLine("line-3")
        .setCamera("cam1")
        .setSequence(42L)
        .setCapturedAtMicros(1_740_816_930_123_456L)
        .setWidth(20)
        .setHeight(16)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(pixels))
        .setLabel("scratches")
        .build();
  }

  static Telemetry telemetry() {
    return Telemetry.newBuilder()
        .setWorkerId("pi-3")
        .setOnline(true)
        .setSentAtMicros(1_740_816_930_000_000L)
        .setSecondsPerGflop(0.85)
        .setFixedOverheadMillis(1.5)
        .setCores(4)
        .setLoad(0.25)
        .setMemoryUsedBytes(300_000_000L)
        .setMemoryMaxBytes(1_000_000_000L)
        .setTilesInFlight(1)
        .setTilesDone(1234L)
        .setModelId(null)
        .setAgentVersion("0.1.0")
        .build();
  }

  static FrameTask task() {
    TaskStage stage =
        TaskStage.newBuilder()
            .setFromNode(1)
            .setToNode(5)
            .setWorkers(List.of("pi-1", "pi-3"))
            .setBandStarts(List.of(0, 8, 16))
            .build();
    return FrameTask.newBuilder()
        .setFrameId("cam1-000042")
        .setPlanId("plan-7")
        .setAttempt(0)
        .setWorkerId("pi-3")
        .setPlannerId("planner-1")
        .setModelId("vgg16-scar")
        .setWeightsVersion("0123456789ab")
        .setStages(List.of(stage))
        .setInputRowStart(6)
        .setInputRowEnd(16)
        .setPixels(ByteBuffer.wrap(new byte[10 * 20]))
        .setDeadlineMicros(1_740_816_930_500_000L)
        .setSentAtMicros(1_740_816_930_200_000L)
        .build();
  }

  static PeerRows peerRows() {
    return PeerRows.newBuilder()
        .setFrameId("cam1-000042")
        .setPlanId("plan-7")
        .setAttempt(0)
        .setStageIndex(1)
        .setRowStart(6)
        .setRowEnd(8)
        .setWidth(10)
        .setChannels(2)
        .setData(floats(2 * 10 * 2))
        .setSentAtMicros(1_740_816_930_215_000L)
        .build();
  }

  static PeerSums peerSums() {
    return PeerSums.newBuilder()
        .setFrameId("cam1-000042")
        .setPlanId("plan-7")
        .setAttempt(0)
        .setStageIndex(1)
        .setRound(0)
        .setNode(4)
        .setSums(List.of(1.5, -2.25))
        .setSentAtMicros(1_740_816_930_216_000L)
        .build();
  }

  static BandResult bandResult() {
    StageCost cost =
        StageCost.newBuilder()
            .setStageIndex(0)
            .setBandIndex(1)
            .setComputeMicros(12_000L)
            .setRuns(2)
            .setCold(false)
            .setInputWaitMicros(300L)
            .setInputBytes(800L)
            .setRoundComputeMicros(List.of(5_000L))
            .setRoundWaitMicros(List.of(900L))
            .build();
    return BandResult.newBuilder()
        .setFrameId("cam1-000042")
        .setPlanId("plan-7")
        .setAttempt(0)
        .setWorkerId("pi-3")
        .setHeadRowStart(8)
        .setHeadRowEnd(16)
        .setHeadSums(List.of(1.5, -2.25))
        .setStages(List.of(cost))
        .setReceivedAtMicros(1_740_816_930_210_000L)
        .setSentAtMicros(1_740_816_930_222_000L)
        .build();
  }

  static PartitionPlan plan() {
    StagePlan stage =
        StagePlan.newBuilder()
            .setFromNode(0)
            .setToNode(5)
            .setBands(
                List.of(
                    Band.newBuilder()
                        .setWorkerId("pi-1")
                        .setRowStart(0)
                        .setRowEnd(8)
                        .setPredictedMillis(11.5)
                        .build(),
                    Band.newBuilder()
                        .setWorkerId("pi-3")
                        .setRowStart(8)
                        .setRowEnd(16)
                        .setPredictedMillis(11.75)
                        .build()))
            .build();
    return PartitionPlan.newBuilder()
        .setPlanId("plan-7")
        .setFrameId("cam1-000042")
        .setModelId("scar-vgg16")
        .setPlannerName("optimal")
        .setCreatedAtMicros(1_740_816_930_190_000L)
        .setStages(List.of(stage))
        .build();
  }

  static Classification classification() {
    return Classification.newBuilder()
        .setFrameId("cam1-000042")
        .setSite("plant-a")
        .setLine("line-3")
        .setCamera("cam1")
        .setClassName("scratches")
        .setClassIndex(5)
        .setConfidence(0.75f)
        .setScores(List.of(0.05f, 0.05f, 0.05f, 0.05f, 0.05f, 0.75f))
        .setLogits(List.of(-1f, -1f, -1f, -1f, -1f, 1.7f))
        .setClassNames(CLASS_NAMES)
        .setModelId("scar-vgg16")
        .setWeightsVersion("w-2025-03-01")
        .setPlanId("plan-7")
        .setLabel("scratches")
        .setCapturedAtMicros(1_740_816_930_000_000L)
        .setReceivedAtMicros(1_740_816_930_002_000L)
        .setClassifiedAtMicros(1_740_816_930_052_500L)
        .setQueueMicros(1_500L)
        .setComputeMicros(40_000L)
        .setTransferMicros(8_000L)
        .build();
  }

  static io.edgedi.schemas.Error error() {
    return io.edgedi.schemas.Error.newBuilder()
        .setComponent("planner-1")
        .setSentAtMicros(1_740_816_930_300_000L)
        .setReason("MALFORMED")
        .setMessage("cannot read Frame")
        .setPayloadId(null)
        .setTopic("edgedi/v1/plant-a/line-3/frames/cam1")
        .setPayloadBytes(17)
        .build();
  }

  static io.edgedi.schemas.PlannerLease lease() {
    return io.edgedi.schemas.PlannerLease.newBuilder()
        .setPlannerId("planner-a")
        .setEpoch(3)
        .setReleased(false)
        .setSentAtMicros(1_740_816_930_400_000L)
        .build();
  }

  /** n float32 values, little-endian, as the PeerRows data field carries them. */
  static ByteBuffer floats(int n) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      buffer.putFloat(i * 0.5f - 3f);
    }
    buffer.flip();
    return buffer;
  }
}
