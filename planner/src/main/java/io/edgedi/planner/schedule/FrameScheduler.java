package io.edgedi.planner.schedule;

import io.edgedi.planner.cluster.WorkerStatus;
import io.edgedi.planner.intake.AcceptedFrame;
import io.edgedi.planner.intake.FrameQueue;
import io.edgedi.planner.plan.QueuePlanner;
import io.edgedi.planner.plan.QueueTail;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes frames off the queue and gives each to the {@link Settler}. One orchestrator thread takes
 * the frames one at a time, each across all usable workers, unless frames are queuing and {@link
 * WorkerGroups} finds groups that empty the queue sooner: then lane threads per group take frames
 * off the queue side by side ({@link #runOnGroups}) while the orchestrator waits for them. Every
 * frame taken is finished in the queue ({@link FrameQueue#done}) whatever happens to it.
 *
 * <p>Threads: {@link #start} and {@link #close} are called by the planner's owner; the orchestrator
 * thread ({@code <plannerId>-orchestrator}) and the daemon lane threads ({@code planner-lane}) are
 * this class's own.
 */
public final class FrameScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FrameScheduler.class);

  /**
   * Frames in flight per worker group: with two, a group's next tile is already queued at its
   * workers while the planner stitches, classifies and publishes the previous frame, so the workers
   * do not idle in between (the tile waits at most one frame, well within its deadline).
   */
  private static final int LANES_PER_GROUP = 2;

  /** Longest a set of worker groups keeps taking frames before the groups are chosen again. */
  private static final long SESSION_MILLIS = 10_000;

  private static final long POLL_MILLIS = 200;

  private final String plannerId;
  private final FrameQueue queue;
  private final WorkerGroups groups;
  private final Settler settler;
  private final Thread orchestrator;
  private final ExecutorService lanes =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "planner-lane");
            t.setDaemon(true);
            return t;
          });
  private final AtomicLong groupRuns = new AtomicLong();
  private volatile boolean running = true;

  public FrameScheduler(String plannerId, FrameQueue queue, WorkerGroups groups, Settler settler) {
    this.plannerId = plannerId;
    this.queue = queue;
    this.groups = groups;
    this.settler = settler;
    this.orchestrator = new Thread(this::orchestrate, plannerId + "-orchestrator");
    this.orchestrator.setDaemon(true);
  }

  public void start() {
    orchestrator.start();
  }

  /** Times the queue was run down on worker groups side by side. */
  public long groupRuns() {
    return groupRuns.get();
  }

  /** How long frames being run may take to finish when the planner closes. */
  static final long GRACE_MILLIS = 2_000;

  /** Stops taking frames; frames still being run stop at their next wait. */
  public void stop() {
    running = false;
  }

  /**
   * Stops taking frames, lets the frames being run finish for up to {@link #GRACE_MILLIS}, then
   * interrupts what is left and waits up to 5 s more. Interrupted between publishing its
   * classification and journaling it, a frame would be classified again after a restart (measured:
   * FaultToleranceTest's planner restart saw a frame classified twice when the threads were
   * interrupted at once and the journal closed beside them).
   */
  @Override
  public void close() {
    stop();
    lanes.shutdown();
    try {
      long until = System.currentTimeMillis() + GRACE_MILLIS;
      orchestrator.join(GRACE_MILLIS);
      lanes.awaitTermination(
          Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      orchestrator.interrupt();
      lanes.shutdownNow();
      orchestrator.join(5_000);
      lanes.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      orchestrator.interrupt();
      lanes.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void orchestrate() {
    while (running) {
      try {
        AcceptedFrame q = queue.poll(POLL_MILLIS);
        if (q != null) {
          QueuePlanner.Choice choice = groups.choose(queue.size() + 1);
          if (choice == null || choice.groups().size() <= 1) {
            process(q, null);
          } else {
            runOnGroups(q, choice);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("planner {}: unexpected failure", plannerId, e);
      }
    }
  }

  /**
   * Runs the queue down on worker groups, {@link #LANES_PER_GROUP} lane threads per group: each
   * lane takes the next queued frame whenever its own frame is done (no barrier between lanes, so a
   * fast group never waits for a slow one). Lanes stop when the queue is empty or after {@link
   * #SESSION_MILLIS}, so the groups get re-chosen from fresh speeds and queue length. Near the
   * queue's end a lane leaves a frame to faster groups when they would finish it first ({@link
   * QueueTail}).
   */
  private void runOnGroups(AcceptedFrame first, QueuePlanner.Choice choice)
      throws InterruptedException {
    groupRuns.incrementAndGet();
    List<List<WorkerStatus>> groupList = choice.groups();
    long began = System.currentTimeMillis();
    long until = began + SESSION_MILLIS;
    AtomicIntegerArray done = new AtomicIntegerArray(groupList.size());
    AtomicReference<AcceptedFrame> head = new AtomicReference<>(first);
    QueueTail tail = new QueueTail(choice.groupFrameMillis());
    List<Future<?>> inFlight = new ArrayList<>();
    for (int lane = 0; lane < groupList.size() * LANES_PER_GROUP; lane++) {
      int index = lane % groupList.size();
      Set<String> group = new HashSet<>();
      groupList.get(index).forEach(w -> group.add(w.workerId()));
      double pauseMillis = Math.max(1, Math.min(20, choice.groupFrameMillis().get(index) / 8));
      inFlight.add(
          lanes.submit(
              () -> {
                AcceptedFrame q = head.getAndSet(null);
                while (running) {
                  if (q == null) {
                    if (System.currentTimeMillis() >= until || queue.isEmpty()) {
                      return null;
                    }
                    if (!tail.shouldTake(index, queue.size(), System.nanoTime())) {
                      Thread.sleep((long) pauseMillis);
                      continue;
                    }
                    q = queue.poll();
                    if (q == null) {
                      return null;
                    }
                  }
                  long token = tail.start(index, System.nanoTime());
                  try {
                    process(q, group);
                  } finally {
                    tail.finish(index, token);
                  }
                  done.incrementAndGet(index);
                  q = null;
                }
                return null;
              }));
    }
    for (Future<?> f : inFlight) {
      try {
        f.get();
      } catch (ExecutionException e) {
        LOG.error("planner {}: a lane failed", plannerId, e.getCause());
      }
    }
    List<String> report = new ArrayList<>();
    int total = 0;
    for (int lane = 0; lane < groupList.size(); lane++) {
      report.add(
          groupList.get(lane).stream().map(WorkerStatus::workerId).toList()
              + ": "
              + done.get(lane));
      total += done.get(lane);
    }
    LOG.info(
        "planner {}: {} worker groups ran {} frames in {} ms ({})",
        plannerId,
        groupList.size(),
        total,
        System.currentTimeMillis() - began,
        String.join(", ", report));
  }

  /** Settles one frame; it leaves the queue (and, if settled, the spool) however that ends. */
  private void process(AcceptedFrame q, Set<String> group) throws InterruptedException {
    boolean settled = false;
    try {
      settled = settler.settle(q, group);
    } finally {
      queue.done(q, settled);
    }
  }
}
