package io.edgedi.planner.web;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.geometry.Stage;
import io.edgedi.planner.FrameReport;
import io.edgedi.planner.cluster.ClusterView;
import io.edgedi.planner.plan.AssignedStage;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.Telemetry;
import java.nio.ByteBuffer;
import java.util.List;

/** Made-up planner events for tests that need no broker. */
public final class SampleReports {
  static {
    // Builders resolve the nested WindowVerdict record for their default; a codec does this first
    // in production.
    io.edgedi.schemas.codec.AvroTrust.install();
  }

  public static final List<String> CLASSES =
      List.of("crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches");

  private SampleReports() {}

  /** A 200x200 frame split over two workers in two stages, classified as class {@code cls}. */
  public static FrameReport report(String frameId, String line, int cls, long nowMicros) {
    byte[] px = new byte[200 * 200];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) ((i / 200 + i % 200) & 0xff);
    }
    Frame f =
        Frame.newBuilder()
            .setFrameId(frameId)
            .setSite("plant1")
            .setLine(line)
            .setCamera("cam1")
            .setSequence(7)
            .setCapturedAtMicros(nowMicros - 50_000)
            .setWidth(200)
            .setHeight(200)
            .setChannels(1)
            .setPixels(ByteBuffer.wrap(px))
            .setLabel("crazing")
            .build();
    FramePlan plan =
        new FramePlan(
            "planner-1",
            "proportional",
            List.of(
                new AssignedStage(
                    new Stage(1, 3),
                    List.of(new RowRange(0, 120), new RowRange(120, 200)),
                    List.of("worker-1", "worker-2"),
                    List.of(6.0, 4.0)),
                new AssignedStage(
                    new Stage(3, 5),
                    List.of(new RowRange(0, 30), new RowRange(30, 50)),
                    List.of("worker-1", "worker-2"),
                    List.of(2.0, 1.5))));
    List<Float> scores = List.of(0.05f, 0.05f, 0.05f, 0.05f, 0.05f, 0.05f);
    scores = new java.util.ArrayList<>(scores);
    scores.set(cls, 0.75f);
    Classification c =
        Classification.newBuilder()
            .setFrameId(frameId)
            .setSite("plant1")
            .setLine(line)
            .setCamera("cam1")
            .setClassName(CLASSES.get(cls))
            .setClassIndex(cls)
            .setConfidence(0.75f)
            .setScores(scores)
            .setLogits(scores)
            .setClassNames(CLASSES)
            .setModelId("resnet18-scar")
            .setWeightsVersion("random")
            .setPlanId("planner-1")
            .setLabel("crazing")
            .setCapturedAtMicros(nowMicros - 50_000)
            .setReceivedAtMicros(nowMicros - 40_000)
            .setClassifiedAtMicros(nowMicros)
            .setQueueMicros(2_000)
            .setComputeMicros(20_000)
            .setTransferMicros(18_000)
            .build();
    return new FrameReport(
        f, plan, List.of(new long[] {5_500, 4_200}, new long[] {2_100, 1_400}), c);
  }

  /** A cluster view with worker-1 and worker-2 online and worker-3 offline. */
  public static ClusterView cluster() {
    ClusterView v = new ClusterView("resnet18-scar@random", 10_000);
    long now = System.currentTimeMillis();
    v.update(telemetry("worker-1", true, 0.05), now);
    v.update(telemetry("worker-2", true, 0.08), now);
    v.update(telemetry("worker-3", false, 0.10), now);
    return v;
  }

  static Telemetry telemetry(String id, boolean online, double secondsPerGflop) {
    return Telemetry.newBuilder()
        .setWorkerId(id)
        .setOnline(online)
        .setSentAtMicros(0)
        .setSecondsPerGflop(secondsPerGflop)
        .setFixedOverheadMillis(0.5)
        .setCores(4)
        .setLoad(0.25)
        .setMemoryUsedBytes(1)
        .setMemoryMaxBytes(2)
        .setTilesInFlight(1)
        .setTilesDone(3)
        .setModelId("resnet18-scar@random")
        .setAgentVersion("test")
        .build();
  }
}
