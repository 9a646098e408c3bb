package io.edgedi.planner.intake;

import io.edgedi.inference.model.ModelSpec;
import io.edgedi.inference.model.TensorShape;
import io.edgedi.inference.window.WindowGrid;
import io.edgedi.planner.Rejections;
import io.edgedi.planner.journal.ClassifiedFrames;
import io.edgedi.planner.journal.FrameSpool;
import io.edgedi.planner.window.WindowedFrame;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.BadMessageException;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Clock;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes frames on: decodes, checks them against their topic and the model, refuses repeated ids,
 * spools them and only then acknowledges them to the broker, and queues them. A frame is
 * acknowledged once it is safely on disk, not once classified: holding the acknowledgement longer
 * held back the whole connection (see {@link FrameSpool}). So a planner that dies after the
 * acknowledgement finds the frame in its spool ({@link #resume}), one that dies before it gets the
 * frame again from the broker, and the journal keeps either from classifying it twice. The journal
 * also holds the frames the site's other planner classified (failover): one of those arriving here
 * later is acknowledged quietly. Unusable frames are rejected and acknowledged (the broker must not
 * send them again). A frame larger than the model input is queued as its windows ({@link
 * WindowedFrame}) when the planner cuts windows, and rejected as the wrong size when it does not.
 *
 * <p>Threads: {@link #accept} runs on Paho's callback thread of the frames connection, one frame at
 * a time; {@link #resume} runs once on the start-up thread before that connection exists.
 */
public final class FrameIntake {
  private static final Logger LOG = LoggerFactory.getLogger(FrameIntake.class);

  private final String plannerId;
  private final Topics topics;
  private final ModelSpec model;
  private final MessageCodec<Frame> codec;
  private final ClassifiedFrames journal;
  private final SeenFrames seen;
  private final FrameSpool spool;
  private final FrameQueue queue;
  private final Rejections rejections;
  private final WindowGrid windows;

  /**
   * @param spool where frames are stored before they are acknowledged; null: acknowledged on
   *     arrival and kept in memory only
   * @param windows how frames larger than the model input are cut, or null to refuse them
   */
  public FrameIntake(
      String plannerId,
      Topics topics,
      ModelSpec model,
      ClassifiedFrames journal,
      SeenFrames seen,
      FrameSpool spool,
      FrameQueue queue,
      Rejections rejections,
      WindowGrid windows) {
    if (windows != null
        && (windows.width() != model.inputShape().width()
            || windows.height() != model.inputShape().height())) {
      throw new IllegalArgumentException(
          "windows of "
              + windows.width()
              + "x"
              + windows.height()
              + " for model "
              + model.name()
              + ", which takes "
              + model.inputShape().width()
              + "x"
              + model.inputShape().height());
    }
    this.windows = windows;
    this.plannerId = plannerId;
    this.topics = topics;
    this.model = model;
    this.codec = Wire.FRAME.codec();
    this.journal = journal;
    this.seen = seen;
    this.spool = spool;
    this.queue = queue;
    this.rejections = rejections;
  }

  /** Handles one frame message; acknowledges it unless it could not be spooled. */
  public void accept(String topic, byte[] payload, MqttLink.Delivery delivery) {
    long received = Clock.micros();
    Frame f;
    try {
      f = codec.decode(payload);
    } catch (BadMessageException e) {
      rejections.reject(e.reason(), e.getMessage(), null, topic, payload.length);
      delivery.ack();
      return;
    }
    if (delivery.redelivered()
        && (journal.contains(f.getFrameId()) || queue.inProgress(f.getFrameId()))) {
      delivery.ack(); // classified, or spooled and in progress, before a restart or reconnect
      return;
    }
    if (journal.contains(f.getFrameId()) && !seen.contains(f.getFrameId())) {
      // Classified before this planner took it on: by the other planner of the site while this
      // one was down or not yet subscribed (failover), so neither a repeat nor news.
      seen.add(f.getFrameId());
      delivery.ack();
      return;
    }
    String[] lineCamera = topics.lineAndCameraOfFrames(topic);
    String problem = problem(f, topic, lineCamera);
    if (problem != null) {
      rejections.reject(RejectReason.WRONG_SIZE, problem, f.getFrameId(), topic, payload.length);
      delivery.ack();
      return;
    }
    // A redelivered repeat passes: its first delivery may have failed to spool, or the link
    // dropped before its acknowledgement reached the broker. A fresh repeat is a camera's fault.
    boolean repeated = seen.add(f.getFrameId()) || journal.contains(f.getFrameId());
    if (repeated && !delivery.redelivered()) {
      rejections.reject(
          RejectReason.DUPLICATE_FRAME,
          "frame id seen before",
          f.getFrameId(),
          topic,
          payload.length);
      delivery.ack();
      return;
    }
    Path spooled = null;
    if (spool != null) {
      try {
        spooled = spool.store(payload);
      } catch (IOException e) {
        // Unacknowledged, the broker redelivers it after a reconnect; say why it is stuck.
        LOG.error("cannot spool frame {}: {}; not acknowledging it", f.getFrameId(), e.toString());
        return;
      }
    }
    delivery.ack();
    enqueue(new AcceptedFrame(f, lineCamera[0], lineCamera[1], received, spooled));
  }

  private void enqueue(AcceptedFrame a) {
    Frame f = a.frame();
    List<AcceptedFrame> items =
        windowed(f)
            ? new WindowedFrame(a, windows.windows(f.getWidth(), f.getHeight())).items()
            : List.of(a);
    queue.add(a, items);
  }

  private boolean windowed(Frame f) {
    return windows != null && windows.cuts(f.getWidth(), f.getHeight());
  }

  /** Why the frame cannot be run (wrong topic, size or pixel count), or null if it can. */
  private String problem(Frame f, String topic, String[] lineCamera) {
    TensorShape in = model.inputShape();
    if (lineCamera == null
        || !lineCamera[0].equals(f.getLine())
        || !lineCamera[1].equals(f.getCamera())) {
      return "frame says line "
          + f.getLine()
          + " camera "
          + f.getCamera()
          + " but came on "
          + topic;
    }
    boolean fits = f.getWidth() == in.width() && f.getHeight() == in.height();
    if (!(fits || windowed(f)) || f.getChannels() != in.channels()) {
      return "frame is "
          + f.getWidth()
          + "x"
          + f.getHeight()
          + "x"
          + f.getChannels()
          + ", model "
          + model.name()
          + " takes "
          + in.width()
          + "x"
          + in.height()
          + "x"
          + in.channels()
          + (windows == null ? "" : " (or larger frames, cut into windows of that size)");
    }
    long elements = (long) f.getWidth() * f.getHeight() * f.getChannels();
    if (f.getPixels().remaining() != elements) {
      return "frame holds "
          + f.getPixels().remaining()
          + " pixel bytes, "
          + f.getWidth()
          + "x"
          + f.getHeight()
          + " needs "
          + elements;
    }
    return null;
  }

  /**
   * Queues the frames a previous run acknowledged but did not settle; drops those the journal says
   * were classified (the run died between publishing and removing the file) and those that no
   * longer decode. Call before the frames connection subscribes.
   */
  public void resume() {
    if (spool == null) {
      return;
    }
    try {
      for (FrameSpool.Entry e : spool.pending()) {
        try {
          Frame f = codec.decode(e.payload());
          if (journal.contains(f.getFrameId())) {
            spool.remove(e.file());
            continue;
          }
          seen.add(f.getFrameId());
          enqueue(new AcceptedFrame(f, f.getLine(), f.getCamera(), Clock.micros(), e.file()));
        } catch (BadMessageException ex) {
          LOG.error("dropping unreadable spool file {}: {}", e.file(), ex.getMessage());
          spool.remove(e.file());
        }
      }
      if (!queue.isEmpty()) {
        LOG.info("planner {} resumes {} spooled frames", plannerId, queue.size());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the frame spool", e);
    }
  }
}
