package io.edgedi.camera.stream;

import io.edgedi.camera.source.FrameSource;
import io.edgedi.camera.source.Luma;
import io.edgedi.camera.source.Resampler;
import io.edgedi.camera.source.SourceError;
import io.edgedi.camera.source.SourceImage;
import io.edgedi.camera.source.SourceItem;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.schemas.codec.RejectReason;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames from a live stream or a video file. A reader thread decodes the feed into a bounded queue
 * the gateway takes from.
 *
 * <p>Policy when the line outruns the pipeline (queue full): a live stream drops the
 * <em>oldest</em> queued picture, so what is published is as recent as possible; every drop is
 * counted ({@link #dropped()}) and logged (the first, then every 100th). A file is not live: its
 * reader waits instead, so a file loses nothing.
 *
 * <p>A live stream that fails or ends is reopened with exponential backoff (100 ms doubling to the
 * configured maximum, reset by the first picture of a new connection); each reopening is counted
 * ({@link #reconnects()}). A file ends the source at its end; a file that cannot be opened or read
 * is one {@link SourceError#SOURCE_UNAVAILABLE} (a dead letter) and the end.
 */
public final class StreamSource implements FrameSource {

  private static final Logger LOG = LoggerFactory.getLogger(StreamSource.class);
  private static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);

  private final String name;
  private final VideoFeed.Opener opener;
  private final boolean live;
  private final int width;
  private final int height;
  private final Duration maxBackoff;
  private final BlockingDeque<SourceItem> queue;
  private final int capacity;
  private final AtomicLong decoded = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final Thread reader;
  private volatile boolean closed;
  private volatile boolean ended;

  /**
   * @param name the stream's URL or path, for origins and logs (credentials are not logged: give it
   *     without them)
   * @param live true for cameras (reconnect, drop oldest), false for a file (end, never drop)
   * @param capacity pictures held between the reader and the gateway
   */
  public StreamSource(
      String name,
      VideoFeed.Opener opener,
      boolean live,
      int width,
      int height,
      int capacity,
      Duration maxBackoff) {
    this.name = name;
    this.opener = opener;
    this.live = live;
    this.width = width;
    this.height = height;
    this.capacity = capacity;
    this.queue = new LinkedBlockingDeque<>(capacity);
    this.maxBackoff = maxBackoff;
    this.reader = new Thread(this::read, "stream-reader");
    this.reader.setDaemon(true);
  }

  /** A stream FFmpeg opens by URL; live unless it is a local file. */
  public static StreamSource ffmpeg(
      String url, int width, int height, int capacity, Duration maxBackoff) {
    boolean file = !url.contains("://") && !url.startsWith("/dev/video") || url.startsWith("file:");
    return new StreamSource(
        withoutCredentials(url),
        () -> FfmpegFeed.open(url),
        !file,
        width,
        height,
        capacity,
        maxBackoff);
  }

  /**
   * A camera's snapshot URL (one JPEG/PNG per HTTP GET) polled every {@code interval}; live, so a
   * failed request reconnects with backoff and a slow pipeline drops the oldest picture.
   */
  public static StreamSource snapshots(
      String url,
      Duration interval,
      int maxBytes,
      int width,
      int height,
      int capacity,
      Duration maxBackoff) {
    java.net.http.HttpClient client =
        java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return new StreamSource(
        withoutCredentials(url),
        () -> SnapshotFeed.open(client, url, interval, maxBytes),
        true,
        width,
        height,
        capacity,
        maxBackoff);
  }

  /** Starts the reader thread. */
  public StreamSource start() {
    reader.start();
    return this;
  }

  private void read() {
    long backoffMillis = INITIAL_BACKOFF.toMillis();
    while (!closed) {
      try (VideoFeed feed = opener.open()) {
        LOG.info("stream {}: open", name);
        VideoFeed.Picture picture;
        while (!closed && (picture = feed.next()) != null) {
          backoffMillis = INITIAL_BACKOFF.toMillis();
          offer(toImage(picture));
        }
        if (!live || closed) {
          break;
        }
        LOG.warn("stream {}: ended; reconnecting", name);
      } catch (Exception e) {
        if (closed) {
          break;
        }
        if (!live) {
          offerWaiting(
              new SourceError(
                  name, RejectReason.SOURCE_UNAVAILABLE, String.valueOf(e.getMessage()), 0));
          break;
        }
        LOG.warn("stream {}: {}; reconnecting in {} ms", name, e.getMessage(), backoffMillis);
      }
      if (closed) {
        break;
      }
      reconnects.incrementAndGet();
      if (!sleep(backoffMillis)) {
        break;
      }
      backoffMillis = Math.min(maxBackoff.toMillis(), backoffMillis * 2);
    }
    ended = true;
  }

  private SourceImage toImage(VideoFeed.Picture picture) {
    long n = decoded.incrementAndGet();
    GrayImage gray = Luma.toGray(picture.image());
    if (gray.width() != width || gray.height() != height) {
      gray = Resampler.resize(gray, width, height);
    }
    return new SourceImage(gray, null, name + "#" + n, picture.capturedAtMicros());
  }

  private void offer(SourceImage image) {
    if (!live) {
      offerWaiting(image);
      return;
    }
    while (!queue.offerLast(image)) {
      if (queue.pollFirst() != null) {
        long d = dropped.incrementAndGet();
        if (d == 1 || d % 100 == 0) {
          LOG.warn(
              "stream {}: the pipeline is behind, dropped the oldest queued frame ({} dropped so far, "
                  + "queue {})",
              name,
              d,
              capacity);
        }
      }
    }
  }

  private void offerWaiting(SourceItem item) {
    try {
      while (!closed && !queue.offerLast(item, 200, TimeUnit.MILLISECONDS)) {
        // the gateway is behind: a file waits for it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  @Override
  public Optional<SourceItem> next() throws InterruptedException {
    while (true) {
      SourceItem item = queue.pollFirst(200, TimeUnit.MILLISECONDS);
      if (item != null) {
        return Optional.of(item);
      }
      if (closed || (ended && queue.isEmpty())) {
        return Optional.empty();
      }
    }
  }

  /** Pictures decoded so far. */
  public long decoded() {
    return decoded.get();
  }

  /** Pictures dropped because the pipeline was behind (live streams only). */
  public long dropped() {
    return dropped.get();
  }

  /** Times the stream was reopened after it failed or ended. */
  public long reconnects() {
    return reconnects.get();
  }

  @Override
  public void close() {
    closed = true;
    reader.interrupt();
  }

  /** Waits for the reader thread to finish after {@link #close()} or the end of a file. */
  void awaitReader(Duration timeout) throws InterruptedException {
    reader.join(timeout.toMillis());
  }

  /** {@code rtsp://user:pw@host/...} without {@code user:pw@}, for logs and frame origins. */
  static String withoutCredentials(String url) {
    return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
  }
}
