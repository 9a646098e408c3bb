package io.edgedi.planner.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.planner.intake.AcceptedFrame;
import io.edgedi.planner.intake.FrameQueue;
import io.edgedi.planner.journal.ClassifiedFrames;
import io.edgedi.planner.journal.FrameSpool;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A standby reading the active planner's classifications off the topic. */
class PeerClassificationsTest {
  static {
    // Builders resolve the nested WindowVerdict record for their default; a codec does this first
    // in production.
    io.edgedi.schemas.codec.AvroTrust.install();
  }

  private static final String TOPIC = "edgedi/v1/plant1/line1/classifications/cam1";
  private static final MessageCodec<Classification> CODEC = Wire.CLASSIFICATION.codec();

  @TempDir Path dir;

  private static byte[] classification(String frameId, String plannerId) {
    return CODEC.encode(
        Classification.newBuilder()
            .setFrameId(frameId)
            .setSite("plant1")
            .setLine("line1")
            .setCamera("cam1")
            .setClassName("patches")
            .setClassIndex(2)
            .setConfidence(0.9f)
            .setScores(List.of(0.9f))
            .setLogits(List.of(1f))
            .setClassNames(List.of("patches"))
            .setModelId("m")
            .setWeightsVersion("w")
            .setPlanId("p")
            .setLabel(null)
            .setCapturedAtMicros(1)
            .setReceivedAtMicros(2)
            .setClassifiedAtMicros(3)
            .setQueueMicros(0)
            .setComputeMicros(0)
            .setTransferMicros(0)
            .setPlannerId(plannerId)
            .build());
  }

  private static AcceptedFrame frame(FrameSpool spool, String id) throws IOException {
    Frame f =
        Frame.newBuilder()
            .setFrameId(id)
            .setSite("plant1")
            .setLine("line1")
            .setCamera("cam1")
            .setSequence(0)
            .setCapturedAtMicros(0)
            .setWidth(1)
            .setHeight(1)
            .setChannels(1)
            .setPixels(ByteBuffer.wrap(new byte[1]))
            .setLabel(null)
            .build();
    return new AcceptedFrame(f, "line1", "cam1", 0, spool.store(new byte[] {1}));
  }

  @Test
  void theOtherPlannersClassificationJournalsTheFrameAndDropsItFromQueueAndSpool()
      throws IOException {
    FrameSpool spool = new FrameSpool(dir.resolve("spool"));
    FrameQueue queue = new FrameQueue(spool);
    queue.hold();
    queue.add(frame(spool, "f1"));
    queue.add(frame(spool, "f2"));
    ClassifiedFrames journal = new ClassifiedFrames(dir, 100);
    List<String> rejected = new ArrayList<>();
    PeerClassifications peers =
        new PeerClassifications(
            "planner-b",
            journal,
            queue,
            (reason, message, id, topic, bytes) -> rejected.add(reason.name()));

    peers.accept(TOPIC, classification("f1", "planner-a"));
    assertTrue(journal.contains("f1"));
    assertFalse(queue.inProgress("f1"));
    assertEquals(1, queue.held());
    try (var files = Files.list(dir.resolve("spool"))) {
      assertEquals(1, files.count());
    }
    assertEquals(1, peers.seen());

    peers.accept(TOPIC, new byte[] {1, 2, 3});
    assertEquals(List.of("MALFORMED"), rejected);
    assertEquals(1, queue.held(), "bad input changes nothing");

    // One of its own (a previous run's) settles a held frame too, but is not counted as the
    // other's.
    peers.accept(TOPIC, classification("f2", "planner-b"));
    assertEquals(0, queue.held());
    assertEquals(1, peers.seen());
    journal.close();
  }
}
