package io.edgedi.camera;

import io.edgedi.camera.source.FrameSource;
import io.edgedi.camera.source.SourceError;
import io.edgedi.camera.source.SourceImage;
import io.edgedi.camera.source.SourceItem;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.schemas.codec.RejectReason;
import io.edgedi.transport.Clock;
import io.edgedi.transport.DeadLetters;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link FrameSource} into Frame messages of one camera.
 *
 * <p>For each image: wait for its slot at the configured rate, stamp it (frame id, sequence,
 * capture time), publish it, and only then tell the source it is {@linkplain FrameSource#done
 * done}. Nothing is dropped silently:
 *
 * <ul>
 *   <li>a failed publish is retried, the same frame with the same id, with exponential backoff,
 *       until it succeeds or the gateway is stopped; frames go out strictly in order, one at a
 *       time;
 *   <li>a source error (unreadable file, wrong size) is reported to the {@link ErrorReporter} (dead
 *       letters on MQTT) and counted as rejected, and uses no sequence number;
 *   <li>a frame the publisher declares undeliverable ({@link IllegalArgumentException}, e.g. too
 *       large) is reported and counted as rejected; its sequence number stays unused, a visible
 *       gap;
 *   <li>a frame still unpublished when the gateway is stopped is logged and counted as abandoned;
 *       the source is not told it is done, so a drop folder yields it again after a restart.
 * </ul>
 *
 * <p>{@link #run()} blocks until the source ends, the frame limit is reached or {@link #stop()} is
 * called; {@link #runAsync()} does the same on a thread of its own. One run per gateway. The
 * gateway owns the source (stopping closes it, which also wakes a source blocked waiting for files)
 * but not the publisher or the MQTT link.
 */
public final class CameraGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CameraGateway.class);

  /** Counters at one moment. */
  public record Stats(long published, long rejected, long retries, long abandoned) {}

  private final FramePublisher publisher;
  private final FrameSource source;
  private final String site;
  private final String line;
  private final String camera;
  private final long maxFrames;
  private final ErrorReporter errors;
  private final FrameListener listener;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final LongSupplier clockMicros;
  private final FrameIds ids;
  private final RatePacer pacer;
  private final Duration closeTimeout;

  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch stopLatch = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopping;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong abandoned = new AtomicLong();

  private CameraGateway(Builder b) {
    this.publisher = Objects.requireNonNull(b.publisher, "publisher");
    this.source = Objects.requireNonNull(b.source, "source");
    this.site = Topics.requireId("site", b.site);
    this.line = Topics.requireId("line", b.line);
    this.camera = Topics.requireId("camera", b.camera);
    this.maxFrames = b.maxFrames;
    this.errors =
        b.errors != null
            ? b.errors
            : b.errorsFactory != null ? b.errorsFactory.apply(camera) : CameraGateway::logOnly;
    this.listener = b.listener;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.clockMicros = b.clockMicros;
    this.ids = b.frameIds != null ? b.frameIds : new FrameIds(camera);
    if (!ids.camera().equals(camera)) {
      throw new IllegalArgumentException(
          "frame ids are for camera " + ids.camera() + ", not " + camera);
    }
    this.pacer =
        new RatePacer(
            b.framesPerSecond, b.maxLag, nanos -> stopLatch.await(nanos, TimeUnit.NANOSECONDS));
    this.closeTimeout = b.closeTimeout;
  }

  /** A gateway publishing through any {@link FramePublisher}; set site, line and camera. */
  public static Builder builder(FramePublisher publisher, FrameSource source) {
    Builder b = new Builder();
    b.publisher = publisher;
    b.source = source;
    return b;
  }

  /**
   * A gateway publishing on MQTT through a link the caller has connected (and will close), with
   * source errors going to dead letters on {@code edgedi/v1/{site}/errors/{camera}}; the site is
   * the topics'. Set line and camera.
   */
  public static Builder mqtt(MqttLink link, Topics topics, FrameSource source) {
    Builder b = builder(new MqttFramePublisher(link, topics), source);
    b.site = topics.site();
    b.errorsFactory = component -> new DeadLetters(link, topics, component)::report;
    return b;
  }

  /**
   * Publishes until the source ends, {@code maxFrames} frames are published, or {@link #stop()}.
   *
   * @return the counters at the end
   * @throws InterruptedException if the calling thread is interrupted (the current frame, if any,
   *     is then counted as abandoned)
   * @throws IllegalStateException if the gateway already ran
   */
  public Stats run() throws InterruptedException {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a CameraGateway runs once");
    }
    LOG.info(
        "camera {}/{}/{}: publishing from {} at {} ({} frames max), ids {}-{}-*",
        site,
        line,
        camera,
        source,
        pacer.framesPerSecond() == 0 ? "full speed" : pacer.framesPerSecond() + " fps",
        maxFrames < 0 ? "no limit" : maxFrames,
        camera,
        Long.toString(ids.startEpochMillis(), 36));
    try {
      while (!stopping && (maxFrames < 0 || published.get() < maxFrames)) {
        Optional<SourceItem> item = source.next();
        if (item.isEmpty()) {
          break;
        }
        if (item.get() instanceof SourceError e) {
          reject(e.reason(), e.message(), e.origin(), null, e.bytes());
          continue;
        }
        SourceImage image = (SourceImage) item.get();
        pacer.await();
        if (stopping) {
          abandon(image.origin(), "gateway stopped before it was stamped");
          break;
        }
        Frame frame = stamp(image);
        if (!deliver(frame, image)) {
          break;
        }
      }
    } finally {
      finished.countDown();
      LOG.info("camera {}: stopped, {}", camera, stats());
    }
    return stats();
  }

  /** Runs {@link #run()} on a new thread; the future completes with the final counters. */
  public CompletableFuture<Stats> runAsync() {
    CompletableFuture<Stats> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(run());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "camera-gateway-" + camera);
    t.start();
    return result;
  }

  /**
   * Asks the run to end after the frame being published, if any (a publish being retried is given
   * up), and closes the source. Returns at once; idempotent.
   */
  public void stop() {
    stopping = true;
    stopLatch.countDown();
    source.close();
  }

  /** Stops and waits (up to the close timeout) for the run to finish. */
  @Override
  public void close() {
    stop();
    if (started.get()) {
      try {
        if (!finished.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn(
              "camera {}: still publishing after {}; not waiting longer", camera, closeTimeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public long published() {
    return published.get();
  }

  /** Source errors plus frames the publisher declared undeliverable; each was reported. */
  public long rejected() {
    return rejected.get();
  }

  /** Publish attempts that failed and were retried. */
  public long retries() {
    return retries.get();
  }

  /** Frames given up, unpublished, because the gateway was stopped (logged, not reported). */
  public long abandoned() {
    return abandoned.get();
  }

  public Stats stats() {
    return new Stats(published.get(), rejected.get(), retries.get(), abandoned.get());
  }

  public FrameIds frameIds() {
    return ids;
  }

  private Frame stamp(SourceImage image) {
    FrameIds.FrameId id = ids.next();
    GrayImage g = image.image();
    return Frame.newBuilder()
        .setSchemaVersion(MessageCodec.SCHEMA_VERSION)
        .setFrameId(id.id())
        .setSite(site)
        .setLine(line)
        .setCamera(camera)
        .setSequence(id.sequence())
        .setCapturedAtMicros(
            image.capturedAtMicros() != SourceImage.CAPTURE_TIME_UNKNOWN
                ? image.capturedAtMicros()
                : clockMicros.getAsLong())
        .setWidth(g.width())
        .setHeight(g.height())
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(g.pixels()))
        .setLabel(image.label())
        .build();
  }

  /**
   * @return false if the run must end (stopped while retrying)
   */
  private boolean deliver(Frame frame, SourceImage image) throws InterruptedException {
    long backoff = initialBackoff.toNanos();
    int failures = 0;
    while (true) {
      try {
        publisher.publish(frame);
        published.incrementAndGet();
        if (failures > 0) {
          LOG.info(
              "camera {}: frame {} published after {} failed attempts",
              camera,
              frame.getFrameId(),
              failures);
        }
        source.done(image, true);
        notifyPublished(frame);
        return true;
      } catch (IllegalArgumentException e) {
        reject(
            RejectReason.UNPUBLISHABLE,
            "frame "
                + frame.getFrameId()
                + " from "
                + image.origin()
                + " cannot be published: "
                + e.getMessage(),
            frame.getFrameId(),
            publisher.destination(frame),
            frame.getPixels().remaining());
        source.done(image, false);
        return true;
      } catch (InterruptedException e) {
        abandon(frame.getFrameId(), "interrupted while publishing");
        throw e;
      } catch (Exception e) {
        failures++;
        retries.incrementAndGet();
        if (failures == 1 || failures % 10 == 0) {
          LOG.warn(
              "camera {}: publishing frame {} failed ({} so far), retrying: {}",
              camera,
              frame.getFrameId(),
              failures,
              e.toString());
        } else {
          LOG.debug(
              "camera {}: publishing frame {} failed again: {}",
              camera,
              frame.getFrameId(),
              e.toString());
        }
      }
      if (stopping || stopLatch.await(backoff, TimeUnit.NANOSECONDS)) {
        abandon(
            frame.getFrameId(), "gateway stopped after " + failures + " failed publish attempts");
        return false;
      }
      backoff = Math.min(maxBackoff.toNanos(), backoff * 2);
    }
  }

  private void reject(
      RejectReason reason, String message, String payloadId, String topic, long bytes) {
    rejected.incrementAndGet();
    errors.report(reason, message, payloadId, topic, (int) Math.min(Integer.MAX_VALUE, bytes));
    if (listener != null) {
      try {
        listener.onRejected(reason, message, payloadId);
      } catch (RuntimeException e) {
        LOG.error("camera {}: listener failed on a rejection", camera, e);
      }
    }
  }

  private void abandon(String what, String why) {
    abandoned.incrementAndGet();
    LOG.warn("camera {}: {} NOT published: {}", camera, what, why);
  }

  private void notifyPublished(Frame frame) {
    if (listener != null) {
      try {
        listener.onPublished(frame);
      } catch (RuntimeException e) {
        LOG.error("camera {}: listener failed on frame {}", camera, frame.getFrameId(), e);
      }
    }
  }

  private static void logOnly(
      RejectReason reason, String message, String payloadId, String topic, int bytes) {
    LOG.warn("rejected {} ({}, {} bytes): {}", payloadId, reason, bytes, message);
  }

  /** Settings of a {@link CameraGateway}; site, line and camera are required. */
  public static final class Builder {
    private FramePublisher publisher;
    private FrameSource source;
    private String site;
    private String line;
    private String camera;
    private double framesPerSecond;
    private Duration maxLag = RatePacer.DEFAULT_MAX_LAG;
    private long maxFrames = -1;
    private ErrorReporter errors;
    private java.util.function.Function<String, ErrorReporter> errorsFactory;
    private FrameListener listener;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration closeTimeout = Duration.ofSeconds(10);
    private LongSupplier clockMicros = Clock::micros;
    private FrameIds frameIds;

    private Builder() {}

    public Builder site(String site) {
      this.site = site;
      return this;
    }

    public Builder line(String line) {
      this.line = line;
      return this;
    }

    public Builder camera(String camera) {
      this.camera = camera;
      return this;
    }

    /** Frames per second; 0 (the default) publishes as fast as the source and broker allow. */
    public Builder framesPerSecond(double fps) {
      this.framesPerSecond = fps;
      return this;
    }

    /**
     * How far behind schedule the pacer lets the gateway catch up by bursting; see {@link
     * RatePacer}.
     */
    public Builder maxLag(Duration maxLag) {
      this.maxLag = Objects.requireNonNull(maxLag);
      return this;
    }

    /** Stop after this many published frames; negative (the default) for no limit. */
    public Builder maxFrames(long maxFrames) {
      this.maxFrames = maxFrames;
      return this;
    }

    /** Where rejections are reported; replaces the dead letters set up by {@link #mqtt}. */
    public Builder errors(ErrorReporter errors) {
      this.errors = errors;
      return this;
    }

    public Builder listener(FrameListener listener) {
      this.listener = listener;
      return this;
    }

    /** First retry delay and the cap it doubles up to (defaults 100 ms and 5 s). */
    public Builder backoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** How long {@link CameraGateway#close()} waits for the run to end (default 10 s). */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** Source of capture timestamps, microseconds since the epoch (default: wall clock). */
    public Builder clockMicros(LongSupplier clock) {
      this.clockMicros = Objects.requireNonNull(clock);
      return this;
    }

    /** Frame ids to use (default: a new {@link FrameIds} for the camera). */
    public Builder frameIds(FrameIds ids) {
      this.frameIds = ids;
      return this;
    }

    public CameraGateway build() {
      return new CameraGateway(this);
    }
  }
}
