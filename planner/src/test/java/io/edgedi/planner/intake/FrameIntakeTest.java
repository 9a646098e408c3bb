package io.edgedi.planner.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.window.WindowGrid;
import io.edgedi.planner.journal.ClassifiedFrames;
import io.edgedi.planner.journal.FrameSpool;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameIntakeTest {
  private static final int SIZE = 32;
  private static final ModelSpec MODEL = ModelZoo.byName("resnet18-scar", SIZE, SIZE);
  private static final Topics TOPICS = new Topics("plant1");
  private static final String TOPIC = TOPICS.frames("line1", "cam1");
  private static final MessageCodec<Frame> CODEC = Wire.FRAME.codec();

  /** A delivery that records its acknowledgement and what the spool held at that moment. */
  private final class Delivery implements MqttLink.Delivery {
    final boolean redelivered;
    int acks;
    long spooledAtAck = -1;

    Delivery(boolean redelivered) {
      this.redelivered = redelivered;
    }

    @Override
    public boolean redelivered() {
      return redelivered;
    }

    @Override
    public void ack() {
      acks++;
      spooledAtAck = spoolFiles();
    }
  }

  private record Rejection(String reason, String payloadId) {}

  @TempDir Path state;
  private Path spoolDir;
  private ClassifiedFrames journal;
  private SeenFrames seen;
  private FrameSpool spool;
  private FrameQueue queue;
  private final List<Rejection> rejections = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    spoolDir = state.resolve("spool");
    journal = new ClassifiedFrames(state, 1000);
    seen = new SeenFrames(1000);
    spool = new FrameSpool(spoolDir);
    queue = new FrameQueue(spool);
  }

  private FrameIntake intake() {
    return intake(null);
  }

  private FrameIntake intake(WindowGrid windows) {
    return new FrameIntake(
        "planner-1",
        TOPICS,
        MODEL,
        journal,
        seen,
        spool,
        queue,
        (reason, message, payloadId, topic, bytes) ->
            rejections.add(new Rejection(reason.name(), payloadId)),
        windows);
  }

  private static Frame.Builder frame(String id) {
    return Frame.newBuilder()
        .setFrameId(id)
        .setSite("plant1")
        .setLine("line1")
        .setCamera("cam1")
        .setSequence(1)
        .setCapturedAtMicros(1)
        .setWidth(SIZE)
        .setHeight(SIZE)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(new byte[SIZE * SIZE]));
  }

  private static byte[] bytes(Frame.Builder f) {
    return CODEC.encode(f.build());
  }

  private long spoolFiles() {
    try (Stream<Path> files = Files.list(spoolDir)) {
      return files.filter(p -> p.toString().endsWith(".frame")).count();
    } catch (IOException e) {
      return -1; // the directory is gone
    }
  }

  @Test
  void validFrameIsSpooledBeforeItsAcknowledgementAndQueued() {
    Delivery d = new Delivery(false);
    intake().accept(TOPIC, bytes(frame("f1")), d);
    assertEquals(1, d.acks);
    assertEquals(1, d.spooledAtAck, "the frame must be on disk when the broker is told it arrived");
    AcceptedFrame q = queue.poll();
    assertNotNull(q);
    assertEquals("f1", q.frameId());
    assertEquals("line1", q.line());
    assertEquals("cam1", q.camera());
    assertNotNull(q.spooled());
    assertTrue(queue.inProgress("f1"));
    assertEquals(1, queue.accepted());
    assertTrue(rejections.isEmpty());
  }

  @Test
  void frameOfTheWrongSizeIsRejectedAndAcknowledged() {
    Delivery d = new Delivery(false);
    intake().accept(TOPIC, bytes(frame("f1").setWidth(SIZE + 1)), d);
    assertEquals(List.of(new Rejection("WRONG_SIZE", "f1")), rejections);
    assertEquals(1, d.acks);
    assertTrue(queue.isEmpty());
    assertEquals(0, spoolFiles());
  }

  @Test
  void aWiderFrameIsSpooledOnceAndQueuedAsItsWindowsWhenThePlannerCutsWindows() {
    Delivery d = new Delivery(false);
    intake(WindowGrid.adjacent(SIZE, SIZE))
        .accept(
            TOPIC,
            bytes(
                frame("f1")
                    .setWidth(SIZE * 5 / 2)
                    .setPixels(ByteBuffer.wrap(new byte[SIZE * SIZE * 5 / 2]))),
            d);
    assertTrue(rejections.isEmpty(), rejections.toString());
    assertEquals(1, d.spooledAtAck);
    assertEquals(3, queue.size(), "two adjacent windows and one flush with the right edge");
    assertEquals("f1#w0", queue.poll().frameId());
    assertTrue(queue.inProgress("f1"));
  }

  @Test
  void aWiderFrameWithTheWrongPixelCountIsRejectedEvenWithWindows() {
    intake(WindowGrid.adjacent(SIZE, SIZE))
        .accept(TOPIC, bytes(frame("f1").setWidth(SIZE * 2)), new Delivery(false));
    assertEquals(List.of(new Rejection("WRONG_SIZE", "f1")), rejections);
    assertTrue(queue.isEmpty());
  }

  @Test
  void frameWithTooFewPixelsIsRejected() {
    intake()
        .accept(
            TOPIC,
            bytes(frame("f1").setPixels(ByteBuffer.wrap(new byte[SIZE * SIZE - 1]))),
            new Delivery(false));
    assertEquals(List.of(new Rejection("WRONG_SIZE", "f1")), rejections);
    assertTrue(queue.isEmpty());
  }

  @Test
  void frameClaimingAnotherLineOrCameraThanItsTopicIsRejected() {
    Delivery wrongLine = new Delivery(false);
    intake().accept(TOPICS.frames("line2", "cam1"), bytes(frame("f1")), wrongLine);
    Delivery wrongCamera = new Delivery(false);
    intake().accept(TOPICS.frames("line1", "cam2"), bytes(frame("f2")), wrongCamera);
    assertEquals(
        List.of(new Rejection("WRONG_SIZE", "f1"), new Rejection("WRONG_SIZE", "f2")), rejections);
    assertEquals(1, wrongLine.acks);
    assertEquals(1, wrongCamera.acks);
    assertTrue(queue.isEmpty());
  }

  @Test
  void undecodablePayloadIsRejectedAndAcknowledged() {
    Delivery d = new Delivery(false);
    intake().accept(TOPIC, new byte[] {1, 2, 3}, d);
    assertEquals(1, rejections.size());
    assertNull(rejections.get(0).payloadId());
    assertEquals(1, d.acks);
    assertTrue(queue.isEmpty());
  }

  @Test
  void repeatedFrameIdIsRejectedOnce() {
    FrameIntake intake = intake();
    intake.accept(TOPIC, bytes(frame("f1")), new Delivery(false));
    Delivery again = new Delivery(false);
    intake.accept(TOPIC, bytes(frame("f1")), again);
    assertEquals(List.of(new Rejection("DUPLICATE_FRAME", "f1")), rejections);
    assertEquals(1, again.acks);
    assertEquals(1, queue.size());
    assertEquals(1, spoolFiles());
  }

  @Test
  void frameClassifiedByTheOtherPlannerBeforeItArrivedIsAcknowledgedQuietly() throws IOException {
    journal.record("f1");
    Delivery d = new Delivery(false);
    intake().accept(TOPIC, bytes(frame("f1")), d);
    assertEquals(1, d.acks);
    assertTrue(rejections.isEmpty());
    assertTrue(queue.isEmpty());
    assertEquals(0, spoolFiles());
    Delivery again = new Delivery(false);
    intake().accept(TOPIC, bytes(frame("f1")), again);
    assertEquals(
        List.of(new Rejection("DUPLICATE_FRAME", "f1")),
        rejections,
        "a camera sending it again is at fault");
  }

  @Test
  void redeliveryOfAFrameInProgressOrClassifiedIsAcknowledgedQuietly() throws IOException {
    FrameIntake intake = intake();
    intake.accept(TOPIC, bytes(frame("f1")), new Delivery(false));
    Delivery inProgress = new Delivery(true);
    intake.accept(TOPIC, bytes(frame("f1")), inProgress);
    journal.record("f2");
    Delivery classified = new Delivery(true);
    intake.accept(TOPIC, bytes(frame("f2")), classified);
    assertEquals(1, inProgress.acks);
    assertEquals(1, classified.acks);
    assertTrue(rejections.isEmpty());
    assertEquals(1, queue.size());
  }

  @Test
  void frameThatCannotBeSpooledStaysUnacknowledgedAndIsTakenOnWhenRedelivered() throws IOException {
    FrameIntake intake = intake();
    Files.delete(spoolDir);
    Delivery d = new Delivery(false);
    intake.accept(TOPIC, bytes(frame("f1")), d);
    assertEquals(0, d.acks, "the broker must keep a frame that is not on disk");
    assertTrue(queue.isEmpty());
    assertFalse(queue.inProgress("f1"));
    assertTrue(rejections.isEmpty());

    Files.createDirectories(spoolDir);
    Delivery redelivered = new Delivery(true);
    intake.accept(TOPIC, bytes(frame("f1")), redelivered);
    assertEquals(1, redelivered.acks);
    assertEquals(1, redelivered.spooledAtAck);
    assertEquals("f1", queue.poll().frameId());
    assertTrue(rejections.isEmpty());
  }

  @Test
  void resumeQueuesSpooledFramesAndDropsClassifiedAndUnreadableOnes() throws IOException {
    spool.store(bytes(frame("f1")));
    spool.store(bytes(frame("f2")));
    spool.store(new byte[] {9, 9, 9});
    journal.record("f2");
    intake().resume();
    AcceptedFrame q = queue.poll();
    assertEquals("f1", q.frameId());
    assertNotNull(q.spooled());
    assertNull(queue.poll());
    assertEquals(1, spoolFiles());
    assertTrue(seen.contains("f1"));

    queue.done(q, true);
    assertEquals(0, spoolFiles(), "a settled frame leaves the spool");
    assertFalse(queue.inProgress("f1"));
  }

  @Test
  void unsettledFrameStaysSpooledForTheNextRun() {
    intake().accept(TOPIC, bytes(frame("f1")), new Delivery(false));
    queue.done(queue.poll(), false);
    assertEquals(1, spoolFiles());
    assertFalse(queue.inProgress("f1"));
  }
}
