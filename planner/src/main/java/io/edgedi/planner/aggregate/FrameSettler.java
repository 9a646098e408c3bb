package io.edgedi.planner.aggregate;

import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.planner.PlannerListener;
import io.edgedi.planner.PlannerOptions;
import io.edgedi.planner.Rejections;
import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.intake.AcceptedFrame;
import io.edgedi.planner.plan.FramePlan;
import io.edgedi.planner.plan.PartitionStrategy;
import io.edgedi.planner.publish.ClassificationPublisher;
import io.edgedi.planner.schedule.Settler;
import io.edgedi.planner.window.WindowedFrame;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Clock;
import io.edgedi.transport.Topics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one frame to an end: waits until a worker is usable, plans the frame, runs it ({@link
 * FrameRun}) and hands the result to the {@link ClassificationPublisher}. A run that fails is
 * planned and run again from the start, up to {@code PlannerOptions.attempts} times; then the frame
 * is dead-lettered (FRAME_FAILED) and counts as settled, so it leaves the spool. A window of a
 * larger frame is run the same way; its outcome goes to its {@link WindowedFrame}, and the thread
 * that settles the frame's last window publishes the frame (or dead-letters it when a window failed
 * for good).
 *
 * <p>Thread-safe: the orchestrator and the lane threads each settle their own frame at once.
 */
public final class FrameSettler implements Settler {
  private static final Logger LOG = LoggerFactory.getLogger(FrameSettler.class);
  private static final long NO_WORKER_WARNING_MILLIS = 10_000;
  private static final long NO_WORKER_POLL_MILLIS = 100;

  private final FoldedWeights weights;
  private final PartitionStrategy strategy;
  private final PlannerOptions options;
  private final Topics topics;
  private final LiveWorkers workers;
  private final TaskOutbox tasks;
  private final ResultInboxes results;
  private final ClassificationPublisher publisher;
  private final Rejections rejections;
  private final PlannerListener listener;
  private final IntSupplier waiting;
  private final BooleanSupplier running;
  private final String planPrefix;
  private final AtomicLong plans = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong overtaken = new AtomicLong();

  /**
   * @param waiting how many frames wait in the queue (for the log when no worker is left)
   * @param running false once the planner shuts down: stop waiting and retrying
   */
  public FrameSettler(
      FoldedWeights weights,
      PartitionStrategy strategy,
      PlannerOptions options,
      Topics topics,
      LiveWorkers workers,
      TaskOutbox tasks,
      ResultInboxes results,
      ClassificationPublisher publisher,
      Rejections rejections,
      PlannerListener listener,
      IntSupplier waiting,
      BooleanSupplier running) {
    this.weights = weights;
    this.strategy = strategy;
    this.options = options;
    this.topics = topics;
    this.workers = workers;
    this.tasks = tasks;
    this.results = results;
    this.publisher = publisher;
    this.rejections = rejections;
    this.listener = listener;
    this.waiting = waiting;
    this.running = running;
    // Plan ids must not repeat across restarts: workers may still hold runs of an old plan.
    this.planPrefix =
        options.plannerId() + "-" + Long.toString(System.currentTimeMillis(), 36) + "-";
  }

  /** Frames given up for good after their last attempt. */
  public long failed() {
    return failed.get();
  }

  /** Frames that got an attempt beside a live but late one (a straggler's), whichever then won. */
  public long overtaken() {
    return overtaken.get();
  }

  /**
   * True once the frame is classified or given up for good (dead-lettered); false if the planner
   * shut down first. With a group, the frame is planned on the group's usable workers (on all if
   * none of them is left); a stage re-planned after a failure may use any worker.
   */
  @Override
  public boolean settle(AcceptedFrame q, Set<String> group) throws InterruptedException {
    String frameId = q.frameId();
    for (int attempt = 1; running.getAsBoolean(); attempt++) {
      List<WorkerStatus> usable = waitForWorkers();
      if (usable == null) {
        return false;
      }
      if (group != null) {
        List<WorkerStatus> inGroup =
            usable.stream().filter(w -> group.contains(w.workerId())).toList();
        usable = inGroup.isEmpty() ? usable : inGroup;
      }
      // Plan with what the workers really did lately, not only what they report.
      usable = workers.adjust(usable);
      long started = Clock.micros();
      FramePlan plan = strategy.plan(planPrefix + plans.incrementAndGet(), weights.model(), usable);
      BlockingQueue<FrameRun.Arrival> inbox = results.open(frameId);
      try {
        FrameRun.Result r =
            new FrameRun(
                    weights,
                    options.plannerId(),
                    frameId,
                    plan,
                    strategy,
                    workers,
                    tasks,
                    inbox,
                    options.timing(),
                    (p, why) ->
                        rejections.reject(
                            RejectReason.STALE_PARTIAL,
                            why,
                            p.getFrameId(),
                            topics.partials(options.plannerId()),
                            0))
                .run(q.frame().getPixels());
        if (r.speculativeReplans() > 0) {
          overtaken.incrementAndGet();
        }
        if (q.window() != null) {
          return settleWindow(
              q, new WindowedFrame.Outcome(q.window().window(), plan, r, started, null));
        }
        return publisher.publish(q, plan, r, started);
      } catch (FrameFailedException e) {
        LOG.warn("frame {} attempt {} failed: {}", frameId, attempt, e.getMessage());
        boolean retry = attempt < options.attempts();
        listener.onFrameFailed(frameId, e.getMessage(), retry);
        if (!retry) {
          if (q.window() != null) {
            return settleWindow(
                q,
                new WindowedFrame.Outcome(
                    q.window().window(), plan, null, started, e.getMessage()));
          }
          failed.incrementAndGet();
          rejections.reject(
              RejectReason.FRAME_FAILED, e.getMessage(), frameId, topics.allFrames(), 0);
          return true;
        }
      } finally {
        results.close(frameId);
      }
    }
    return false;
  }

  /**
   * Records a window's outcome; the last window of its frame publishes the frame, or dead-letters
   * it when any window failed for good (a frame with a hole is not a verdict).
   */
  private boolean settleWindow(AcceptedFrame q, WindowedFrame.Outcome outcome)
      throws InterruptedException {
    WindowedFrame whole = q.window().frame();
    if (!whole.record(outcome)) {
      return true;
    }
    long failures = whole.failures();
    if (failures == 0) {
      return publisher.publishWindowed(whole);
    }
    failed.incrementAndGet();
    String first =
        whole.outcomes().stream()
            .filter(WindowedFrame.Outcome::failed)
            .findFirst()
            .map(WindowedFrame.Outcome::failure)
            .orElse("");
    rejections.reject(
        RejectReason.FRAME_FAILED,
        failures + " of " + whole.windows().size() + " windows failed, first: " + first,
        whole.frameId(),
        topics.allFrames(),
        0);
    return true;
  }

  /** Blocks until at least one worker is usable; a frame waits rather than being dropped. */
  private List<WorkerStatus> waitForWorkers() throws InterruptedException {
    long warned = 0;
    while (running.getAsBoolean()) {
      List<WorkerStatus> usable = workers.reported();
      if (!usable.isEmpty()) {
        return usable;
      }
      if (System.currentTimeMillis() - warned > NO_WORKER_WARNING_MILLIS) {
        LOG.warn(
            "planner {}: no usable worker for {}; {} frames waiting",
            options.plannerId(),
            weights.model().name(),
            waiting.getAsInt() + 1);
        warned = System.currentTimeMillis();
      }
      Thread.sleep(NO_WORKER_POLL_MILLIS);
    }
    return null;
  }
}
