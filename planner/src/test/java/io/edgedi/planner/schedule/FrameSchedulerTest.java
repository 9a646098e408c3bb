package io.edgedi.planner.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.inference.model.ModelZoo;
import io.edgedi.planner.intake.AcceptedFrame;
import io.edgedi.planner.intake.FrameQueue;
import io.edgedi.planner.plan.Strategies;
import io.edgedi.schemas.Frame;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FrameSchedulerTest {
  private static AcceptedFrame frame(String id) {
    Frame f =
        Frame.newBuilder()
            .setFrameId(id)
            .setSite("plant1")
            .setLine("line1")
            .setCamera("cam1")
            .setSequence(1)
            .setCapturedAtMicros(1)
            .setWidth(1)
            .setHeight(1)
            .setChannels(1)
            .setPixels(ByteBuffer.wrap(new byte[1]))
            .build();
    return new AcceptedFrame(f, "line1", "cam1", 1, null);
  }

  @Test
  void withoutGroupsFramesAreSettledInOrderOnTheOrchestratorAndAFailingOneDoesNotStopIt()
      throws Exception {
    FrameQueue queue = new FrameQueue(null);
    List<String> settled = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(3);
    Settler settler =
        (frame, group) -> {
          settled.add(
              frame.frameId()
                  + "@"
                  + Thread.currentThread().getName()
                  + (group == null ? "" : " in a group"));
          all.countDown();
          if (frame.frameId().equals("f2")) {
            throw new IllegalStateException("a bug while settling f2");
          }
          return true;
        };
    WorkerGroups oneGroup =
        new WorkerGroups(
            "planner-1",
            false,
            ModelZoo.byName("resnet18-scar", 32, 32),
            Strategies.byName(Strategies.DEFAULT),
            List::of);
    for (String id : List.of("f1", "f2", "f3")) {
      queue.add(frame(id));
    }
    try (FrameScheduler scheduler = new FrameScheduler("planner-1", queue, oneGroup, settler)) {
      scheduler.start();
      assertTrue(all.await(10, TimeUnit.SECONDS));
      assertEquals(
          List.of(
              "f1@planner-1-orchestrator",
              "f2@planner-1-orchestrator",
              "f3@planner-1-orchestrator"),
          settled);
      for (String id : List.of("f1", "f2", "f3")) {
        waitUntilDone(queue, id);
      }
      assertEquals(0, scheduler.groupRuns());
    }
    assertNull(queue.poll());
  }

  private static void waitUntilDone(FrameQueue queue, String id) throws InterruptedException {
    long until = System.currentTimeMillis() + 5_000;
    while (queue.inProgress(id) && System.currentTimeMillis() < until) {
      Thread.sleep(5);
    }
    assertFalse(queue.inProgress(id), id + " must leave the queue whatever its settling did");
  }
}
