package io.edgedi.worker;

import io.edgedi.inference.geometry.RowRange;
import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.runtime.SliceRunner;
import io.edgedi.schemas.FrameTask;
import io.edgedi.schemas.PeerRows;
import io.edgedi.schemas.PeerSums;
import io.edgedi.schemas.TaskStage;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Topics;
import io.edgedi.worker.frame.BandDone;
import io.edgedi.worker.frame.FramePart;
import io.edgedi.worker.frame.PeerOutbox;
import io.edgedi.worker.frame.TaskPlan;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's job without the network: checks each frame task, runs this worker's part of the
 * frame ({@link FramePart}) and routes peer messages to it. A newer attempt of a frame replaces the
 * older one; messages of an attempt this worker has finished or replaced are dropped quietly. Peer
 * messages can outrun the task they belong to (a fast peer starts first), so messages for a frame
 * this worker does not know yet wait a while; after that they are rejected as unknown. Confined to
 * one thread.
 */
public final class TaskRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  private static final int FINISHED_REMEMBERED = 4096;
  private static final int EARLY_MESSAGES = 1024;

  private final String workerId;
  private final SliceRunner runner;
  private final SpeedMeter speed;
  private final DevicePace pace;
  private final PeerOutbox out;
  private final long earlyMicros;
  private final Map<String, FramePart> parts = new LinkedHashMap<>();
  private final List<Early> early = new ArrayList<>();
  private final Map<String, Boolean> finished =
      new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > FINISHED_REMEMBERED;
        }
      };
  private long bandsDone;

  /** A peer message that arrived before its frame's task. */
  private record Early(String sender, SpecificRecord message, long arrivedMicros) {}

  /** A peer message nobody claimed in time, for the dead-letter topic. */
  public record Unclaimed(String sender, String frameId, RejectReason reason, String message) {}

  public TaskRunner(
      String workerId,
      SliceRunner runner,
      SpeedMeter speed,
      DevicePace pace,
      PeerOutbox out,
      long earlyMillis) {
    this.workerId = workerId;
    this.runner = runner;
    this.speed = speed;
    this.pace = pace;
    this.out = out;
    this.earlyMicros = earlyMillis * 1000;
  }

  /**
   * @param arrivedMicros when the task came off the wire: the planner learns the link from the time
   *     outside the worker, so time queued behind other work here counts as the worker's
   */
  public void onTask(FrameTask t, long arrivedMicros) throws RejectedInput {
    long received = arrivedMicros;
    String id = t.getFrameId() + "/" + t.getPlanId() + "#" + t.getAttempt();
    ModelSpec model = runner.weights().model();
    if (!t.getWorkerId().equals(workerId)) {
      throw new RejectedInput(
          RejectReason.WRONG_WORKER, id, "task is for worker " + t.getWorkerId());
    }
    if (!t.getModelId().equals(model.name())
        || !t.getWeightsVersion().equals(runner.weights().version())) {
      throw new RejectedInput(
          RejectReason.WRONG_MODEL,
          id,
          "task needs "
              + t.getModelId()
              + "@"
              + t.getWeightsVersion()
              + ", this worker runs "
              + model.name()
              + "@"
              + runner.weights().version());
    }
    FramePart current = parts.get(t.getFrameId());
    if (current != null && current.task().attempt() >= t.getAttempt()) {
      throw new RejectedInput(
          RejectReason.DUPLICATE_TASK,
          id,
          "attempt " + current.task().attempt() + " of this frame is running");
    }
    if (finished.containsKey(key(t.getFrameId(), t.getPlanId(), t.getAttempt()))) {
      throw new RejectedInput(RejectReason.DUPLICATE_TASK, id, "this attempt is already done");
    }
    TaskPlan plan;
    try {
      List<TaskPlan.StageSpec> specs = new ArrayList<>();
      for (TaskStage s : t.getStages()) {
        for (String w : s.getWorkers()) {
          Topics.requireId("worker", w);
        }
        specs.add(
            new TaskPlan.StageSpec(
                s.getFromNode(), s.getToNode(), s.getBandStarts(), s.getWorkers()));
      }
      plan = TaskPlan.of(model, specs);
    } catch (IllegalArgumentException e) {
      throw new RejectedInput(RejectReason.BAD_TASK, id, "impossible plan: " + e.getMessage());
    }
    if (!plan.takesPart(workerId)) {
      throw new RejectedInput(RejectReason.BAD_TASK, id, "the plan gives this worker no band");
    }
    FeatureMap image = image(t, plan, model, id);
    if (current != null) {
      LOG.info(
          "worker {}: frame {} attempt {} replaces attempt {}",
          workerId,
          t.getFrameId(),
          t.getAttempt(),
          current.task().attempt());
      retire(current);
    }
    FramePart part =
        new FramePart(
            new FramePart.Task(
                t.getFrameId(),
                t.getPlanId(),
                t.getAttempt(),
                t.getPlannerId(),
                t.getDeadlineMicros()),
            plan,
            workerId,
            image,
            runner,
            pace,
            out,
            received);
    parts.put(t.getFrameId(), part);
    List<RejectedInput> rejected = new ArrayList<>();
    Iterator<Early> it = early.iterator();
    while (it.hasNext()) {
      Early e = it.next();
      if (frameOf(e.message()).equals(t.getFrameId())) {
        try {
          if (matches(part, e.message())) {
            it.remove();
            deliver(part, e);
          } else if (attemptOf(e.message()) < t.getAttempt()) {
            it.remove();
          }
        } catch (RejectedInput r) {
          rejected.add(r);
        }
      }
    }
    drive(part);
    if (!rejected.isEmpty()) {
      throw rejected.get(0);
    }
  }

  /**
   * The task's image rows scaled as monolithic inference scales them, or null without a first band.
   */
  private static FeatureMap image(FrameTask t, TaskPlan plan, ModelSpec model, String id)
      throws RejectedInput {
    TensorShape in = model.inputShape();
    int band = plan.band(0, t.getWorkerId());
    if (band < 0) {
      if (t.getPixels().remaining() != 0) {
        throw new RejectedInput(
            RejectReason.WRONG_SIZE, id, "pixels for a worker without a first-stage band");
      }
      return null;
    }
    RowRange need = plan.geometry(0).inputRows(band);
    if (t.getInputRowStart() != need.start()
        || t.getInputRowEnd() != need.end()
        || t.getPixels().remaining() != (long) need.size() * in.width() * in.channels()) {
      throw new RejectedInput(
          RejectReason.WRONG_SIZE,
          id,
          "task carries image rows ["
              + t.getInputRowStart()
              + ","
              + t.getInputRowEnd()
              + ") in "
              + t.getPixels().remaining()
              + " bytes; the first stage needs rows "
              + need
              + " x "
              + in.width());
    }
    FeatureMap rows = FeatureMap.fromGray(need.size(), in.width(), t.getPixels());
    return new FeatureMap(need.start(), need.size(), in.width(), in.channels(), rows.data());
  }

  public void onRows(String sender, PeerRows m, long arrivedMicros) throws RejectedInput {
    route(new Early(sender, m, arrivedMicros));
  }

  public void onSums(String sender, PeerSums m, long arrivedMicros) throws RejectedInput {
    route(new Early(sender, m, arrivedMicros));
  }

  private void route(Early e) throws RejectedInput {
    String frame = frameOf(e.message());
    if (finished.containsKey(key(frame, planOf(e.message()), attemptOf(e.message())))) {
      LOG.debug("worker {}: late peer message for finished frame {}", workerId, frame);
      return;
    }
    FramePart part = parts.get(frame);
    if (part != null && matches(part, e.message())) {
      deliver(part, e);
      drive(part);
      return;
    }
    if (part != null && attemptOf(e.message()) < part.task().attempt()) {
      LOG.debug(
          "worker {}: peer message of replaced attempt {} of frame {}",
          workerId,
          attemptOf(e.message()),
          frame);
      return;
    }
    if (early.size() >= EARLY_MESSAGES) {
      throw new RejectedInput(
          RejectReason.UNKNOWN_FRAME,
          frame,
          "peer message from "
              + e.sender()
              + " for a frame this worker"
              + " has no task for, and "
              + EARLY_MESSAGES
              + " such messages are already waiting");
    }
    early.add(e);
  }

  private void deliver(FramePart part, Early e) throws RejectedInput {
    if (e.message() instanceof PeerRows r) {
      part.acceptRows(e.sender(), r, e.arrivedMicros());
    } else {
      part.acceptSums(e.sender(), (PeerSums) e.message(), e.arrivedMicros());
    }
  }

  private void drive(FramePart part) throws RejectedInput {
    try {
      part.advance();
    } catch (RejectedInput e) {
      parts.remove(part.task().frameId());
      throw e;
    }
    if (part.finished()) {
      parts.remove(part.task().frameId());
      retire(part);
      for (BandDone b : part.bandsDone()) {
        bandsDone++;
        if (!b.cold()) {
          speed.record(b.macs(), b.computeMicros(), b.runs());
        }
      }
    }
  }

  private void retire(FramePart part) {
    part.close();
    FramePart.Task t = part.task();
    finished.put(key(t.frameId(), t.planId(), t.attempt()), Boolean.TRUE);
  }

  /**
   * Drops frame parts past their task's deadline (the planner has given up on them) and peer
   * messages that waited longer than allowed for their task; returns the latter for the dead-letter
   * topic.
   */
  public List<Unclaimed> expire(long nowMicros) {
    Iterator<FramePart> parts = this.parts.values().iterator();
    while (parts.hasNext()) {
      FramePart p = parts.next();
      if (nowMicros > p.task().deadlineMicros()) {
        LOG.info(
            "worker {}: frame {} attempt {} passed its deadline, dropped",
            workerId,
            p.task().frameId(),
            p.task().attempt());
        retire(p);
        parts.remove();
      }
    }
    List<Unclaimed> out = new ArrayList<>();
    Iterator<Early> it = early.iterator();
    while (it.hasNext()) {
      Early e = it.next();
      if (nowMicros - e.arrivedMicros() > earlyMicros) {
        it.remove();
        out.add(
            new Unclaimed(
                e.sender(),
                frameOf(e.message()),
                RejectReason.UNKNOWN_FRAME,
                "peer message from "
                    + e.sender()
                    + " for frame "
                    + frameOf(e.message())
                    + " attempt "
                    + attemptOf(e.message())
                    + ": no task for it arrived within "
                    + earlyMicros / 1000
                    + " ms"));
      }
    }
    return out;
  }

  private static boolean matches(FramePart part, SpecificRecord m) {
    return planOf(m).equals(part.task().planId()) && attemptOf(m) == part.task().attempt();
  }

  private static String frameOf(SpecificRecord m) {
    return m instanceof PeerRows r ? r.getFrameId() : ((PeerSums) m).getFrameId();
  }

  private static String planOf(SpecificRecord m) {
    return m instanceof PeerRows r ? r.getPlanId() : ((PeerSums) m).getPlanId();
  }

  private static int attemptOf(SpecificRecord m) {
    return m instanceof PeerRows r ? r.getAttempt() : ((PeerSums) m).getAttempt();
  }

  private static String key(String frame, String plan, int attempt) {
    return frame + "\u0000" + plan + "\u0000" + attempt;
  }

  /** Frames this worker has a part of that is not finished. */
  public int inFlight() {
    return parts.size();
  }

  /** Bands computed since start. */
  public long bandsDone() {
    return bandsDone;
  }

  @Override
  public void close() {
    parts.values().forEach(FramePart::close);
    parts.clear();
    early.clear();
  }
}
