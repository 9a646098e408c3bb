package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.cluster.Await;
import io.edgedi.inference.model.ModelZoo;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.weights.RandomWeights;
import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.FrameTask;
import io.edgedi.schemas.PeerSums;
import io.edgedi.schemas.TaskStage;
import io.edgedi.schemas.Telemetry;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.Clock;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/**
 * Junk on every input of planner and worker: each piece gets a dead letter with a reason, the
 * components keep running, and good frames sent afterwards are still classified exactly.
 */
class BadInputTest {
  private static final FoldedWeights WEIGHTS =
      FoldedWeights.fold(
          RandomWeights.create(ModelZoo.byName("resnet18-scar"), 4), "random-seed-4");

  @Test
  void badInputIsRejectedWithAReasonAndNothingStops() throws Exception {
    Topics topics = new Topics(ClusterFixture.SITE);
    // Three workers, of which the third stops at once and lends its account to the intruder below:
    // an account may only connect as its own worker id, and a second connection with a running
    // worker's id would take over that worker's session.
    try (ClusterFixture cluster = new ClusterFixture(WEIGHTS, 3);
        MqttLink camera = new MqttLink(cluster.settings("camera", "camera-junk"));
        MqttLink otherId = new MqttLink(cluster.settings("worker-2", "worker-2-junk"));
        LineFixture line = new LineFixture(cluster)) {
      cluster.stopWorker(2);
      camera.connect(null, true);
      // A worker account cannot claim another client id (which would name another tiles topic).
      MqttException refused = assertThrows(MqttException.class, () -> otherId.connect(null, true));
      assertEquals(0x85, refused.getReasonCode(), "CONNACK client identifier not valid");
      String frames = topics.frames("line1", "cam1");
      MessageCodec<Frame> frameCodec = Wire.FRAME.codec();
      SplittableRandom rnd = new SplittableRandom(42);
      Frame good =
          Frame.newBuilder()
              .setFrameId("junk-good-0")
              .setSite("plant1")
              .setLine("line1")
              .setCamera("cam1")
              .setSequence(0)
              .setCapturedAtMicros(Clock.micros())
              .setWidth(200)
              .setHeight(200)
              .setChannels(1)
              .setPixels(ByteBuffer.wrap(new byte[200 * 200]))
              .setLabel(null)
              .build();
      byte[] valid = frameCodec.encode(good);

      camera.publish(frames, Arrays.copyOf(valid, valid.length / 2), false); // truncated Avro
      byte[] noise = new byte[500];
      for (int i = 0; i < 20; i++) { // random bytes
        rnd.nextBytes(noise);
        camera.publish(frames, noise.clone(), false);
      }
      ByteBuffer v2 = Frame.newBuilder(good).setSchemaVersion(2).build().toByteBuffer();
      byte[] v2bytes = new byte[v2.remaining()];
      v2.get(v2bytes);
      camera.publish(frames, v2bytes, false); // unknown version
      camera.publish(
          frames,
          frameCodec.encode(
              Frame.newBuilder(good)
                  .setFrameId("junk-small")
                  .setWidth(100)
                  .setHeight(100)
                  .setPixels(ByteBuffer.wrap(new byte[100 * 100]))
                  .build()),
          false);
      camera.publish(
          frames,
          frameCodec.encode(
              Frame.newBuilder(good)
                  .setFrameId("junk-big")
                  .setWidth(3000)
                  .setHeight(3000)
                  .setPixels(ByteBuffer.wrap(new byte[3000 * 3000]))
                  .build()),
          false);
      camera.publish(
          frames,
          frameCodec.encode(
              Frame.newBuilder(good)
                  .setFrameId("junk-lying")
                  .setPixels(ByteBuffer.wrap(new byte[17]))
                  .build()),
          false);
      camera.publish(frames, valid, false);
      camera.publish(frames, valid, false); // duplicated frame id

      // A worker account: spoofed telemetry id, junk and stale partials.
      try (MqttLink worker = new MqttLink(cluster.settings("worker-3", "worker-3"))) {
        worker.connect(null, true);
        MessageCodec<Telemetry> tel = Wire.TELEMETRY.codec();
        worker.publish(
            topics.telemetry("worker-3"),
            tel.encode(
                Telemetry.newBuilder()
                    .setWorkerId("worker-1")
                    .setOnline(false)
                    .setSentAtMicros(Clock.micros())
                    .setSecondsPerGflop(1)
                    .setFixedOverheadMillis(0)
                    .setCores(1)
                    .setLoad(0)
                    .setMemoryUsedBytes(0)
                    .setMemoryMaxBytes(0)
                    .setTilesInFlight(0)
                    .setTilesDone(0)
                    .setModelId(null)
                    .setAgentVersion("x")
                    .build()),
            false);
        String partials = topics.partials("planner");
        worker.publish(partials, noise.clone(), false);
        MessageCodec<BandResult> resultCodec = Wire.BAND_RESULT.codec();
        worker.publish(
            partials,
            resultCodec.encode(
                BandResult.newBuilder()
                    .setFrameId("never-sent")
                    .setPlanId("p")
                    .setAttempt(0)
                    .setWorkerId("worker-3")
                    .setHeadRowStart(0)
                    .setHeadRowEnd(1)
                    .setHeadSums(List.of(Double.NaN))
                    .setStages(List.of())
                    .setReceivedAtMicros(0)
                    .setSentAtMicros(0)
                    .build()),
            false);
        // Sums for a frame worker-1 never gets a task for: held for a while (a task may be on its
        // way), then dead-lettered.
        MessageCodec<PeerSums> sumsCodec = Wire.PEER_SUMS.codec();
        worker.publish(
            topics.peer("worker-1", "worker-3"),
            sumsCodec.encode(
                PeerSums.newBuilder()
                    .setFrameId("no-such-frame")
                    .setPlanId("p")
                    .setAttempt(0)
                    .setStageIndex(0)
                    .setRound(0)
                    .setNode(3)
                    .setSums(List.of(1.0))
                    .setSentAtMicros(0)
                    .build()),
            false);
      }

      // The planner account talks to a worker: junk, and a task whose plan cannot be run.
      try (MqttLink planner = new MqttLink(cluster.settings("planner", "planner-junk"))) {
        planner.connect(null, true);
        String tasks = topics.tasks("worker-1");
        planner.publish(tasks, noise.clone(), false);
        MessageCodec<FrameTask> taskCodec = Wire.FRAME_TASK.codec();
        planner.publish(
            tasks,
            taskCodec.encode(
                FrameTask.newBuilder()
                    .setFrameId("bad-plan")
                    .setPlanId("p")
                    .setAttempt(0)
                    .setWorkerId("worker-1")
                    .setPlannerId("planner")
                    .setModelId(WEIGHTS.model().name())
                    .setWeightsVersion(WEIGHTS.version())
                    .setStages(
                        List.of(
                            TaskStage.newBuilder()
                                .setFromNode(1)
                                .setToNode(2)
                                .setWorkers(List.of("worker-1"))
                                .setBandStarts(List.of(0, 100))
                                .build()))
                    .setInputRowStart(0)
                    .setInputRowEnd(4)
                    .setPixels(ByteBuffer.wrap(new byte[4 * 200]))
                    .setDeadlineMicros(0)
                    .setSentAtMicros(0)
                    .build()),
            false);
      }

      line.publish(4);
      line.assertEveryFrameExactlyOnceAndExact(WEIGHTS, 120_000);
      Map<String, Long> p = cluster.planner.deadLetters().counts();
      Await.until(() -> cluster.workers.get(0).deadLetters().total() >= 3, 20_000);
      Map<String, Long> w = cluster.workers.get(0).deadLetters().counts();
      assertTrue(
          p.getOrDefault("MALFORMED", 0L) + p.getOrDefault("UNKNOWN_SCHEMA", 0L) >= 21,
          p.toString());
      assertEquals(1L, p.get("UNSUPPORTED_VERSION"), p.toString());
      assertEquals(2L, p.get("WRONG_SIZE"), p.toString());
      assertEquals(1L, p.get("OVERSIZED"), p.toString());
      assertEquals(1L, p.get("DUPLICATE_FRAME"), p.toString());
      assertEquals(1L, p.get("SPOOFED_ID"), p.toString());
      assertEquals(1L, p.get("UNKNOWN_FRAME"), p.toString());
      assertTrue(
          w.getOrDefault("MALFORMED", 0L) + w.getOrDefault("UNKNOWN_SCHEMA", 0L) >= 1,
          w.toString());
      assertEquals(1L, w.get("BAD_TASK"), w.toString());
      assertEquals(1L, w.get("UNKNOWN_FRAME"), w.toString());
      assertTrue(
          cluster.planner.cluster().isUsable("worker-1", System.currentTimeMillis()),
          "a spoofed 'offline' must not take worker-1 out");
    }
  }
}
