package io.edgedi.camera.source;

import io.edgedi.schemas.codec.RejectReason;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder a camera (or an operator) drops image files into. Each new image file is yielded once it
 * is completely written, then moved out of the way, so nothing is processed twice or lost, also
 * across restarts:
 *
 * <ul>
 *   <li>A file counts as written when its size and modification time have not changed for the
 *       settle time (and it is not empty). Writers that can should still write under a temporary
 *       name (hidden, or an extension that is not an image's, such as {@code .part}) and rename:
 *       those are never picked up half-written whatever the timing.
 *   <li>An image goes to {@code done/} only when the consumer calls {@link #done(SourceImage,
 *       boolean)} with {@code published = true}, to {@code failed/} with false. Until then it stays
 *       in the drop folder, so one the process did not finish is yielded again after a restart
 *       (at-least-once).
 *   <li>A file that cannot be decoded (or has the wrong size under {@link SizePolicy#REJECT}) is
 *       moved to {@code failed/} at once and yielded as a {@link SourceError}.
 *   <li>Files already in the folder at start are yielded too, oldest first; so are files that
 *       arrive later, in order of modification time.
 * </ul>
 *
 * <p>Arrivals are noticed by a {@link WatchService} where the platform has one, and by a periodic
 * rescan in any case (watch services miss events on network mounts and poll slowly on some
 * systems). Only the folder itself is watched, not its subfolders. A name that already exists in
 * {@code done/} or {@code failed/} gets a numeric suffix there.
 *
 * <p>{@link #next()} blocks until an item is ready and returns empty only once closed.
 */
public final class DropFolderSource implements FrameSource {
  public static final String DONE = "done";
  public static final String FAILED = "failed";
  public static final Duration DEFAULT_SETTLE = Duration.ofMillis(500);
  public static final Duration DEFAULT_RESCAN = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(DropFolderSource.class);
  private static final long MIN_POLL_MILLIS = 20;

  private final Path dir;
  private final Path doneDir;
  private final Path failedDir;
  private final ImageLoader loader;
  private final long settleNanos;
  private final long rescanMillis;
  private final WatchService watch;
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private volatile boolean closed;

  /** Yielded images not yet reported {@link #done}: file name to path. */
  private final Map<String, Path> inFlight = new ConcurrentHashMap<>();

  /** Files this run must not yield again (a move out of the folder failed). */
  private final Set<String> stuck = ConcurrentHashMap.newKeySet();

  // Only touched by the thread calling next().
  private final Map<Path, Observation> seen = new HashMap<>();
  private final Deque<Path> ready = new ArrayDeque<>();
  private boolean listingFailed;

  private record Observation(long size, long modified, long sinceNanos) {}

  /** 200x200 images (others resized), default settle and rescan times. */
  public DropFolderSource(Path dir) throws IOException {
    this(dir, ImageLoader.neu(SizePolicy.RESIZE), DEFAULT_SETTLE, DEFAULT_RESCAN);
  }

  /**
   * @param settle how long a file's size and time must stay unchanged before it is read
   * @param rescan longest time between two listings of the folder
   * @throws IOException if the folder or its {@code done/} and {@code failed/} subfolders cannot be
   *     created
   */
  public DropFolderSource(Path dir, ImageLoader loader, Duration settle, Duration rescan)
      throws IOException {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.loader = Objects.requireNonNull(loader, "loader");
    if (settle.isNegative() || rescan.isNegative() || rescan.isZero()) {
      throw new IllegalArgumentException("settle must be >= 0 and rescan > 0");
    }
    this.settleNanos = settle.toNanos();
    this.rescanMillis = Math.max(MIN_POLL_MILLIS, rescan.toMillis());
    Files.createDirectories(dir);
    this.doneDir = Files.createDirectories(dir.resolve(DONE));
    this.failedDir = Files.createDirectories(dir.resolve(FAILED));
    this.watch = openWatch(dir);
  }

  public Path dir() {
    return dir;
  }

  @Override
  public Optional<SourceItem> next() throws InterruptedException {
    while (!closed) {
      Path file = ready.poll();
      if (file != null) {
        Optional<SourceItem> item = take(file);
        if (item.isPresent()) {
          return item;
        }
        continue;
      }
      Optional<SourceError> listing = scan();
      if (listing.isPresent()) {
        return Optional.of(listing.get());
      }
      if (ready.isEmpty()) {
        waitForChange(
            seen.isEmpty()
                ? rescanMillis
                : Math.min(
                    rescanMillis,
                    Math.max(MIN_POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(settleNanos) / 4)));
      }
    }
    return Optional.empty();
  }

  @Override
  public void done(SourceImage image, boolean published) {
    Path file = inFlight.remove(image.origin());
    if (file == null) {
      LOG.debug("{}: done() for unknown image {}", dir, image.origin());
      return;
    }
    moveOut(file, published ? doneDir : failedDir);
  }

  /** Images yielded and not yet reported {@link #done}. */
  public int inFlight() {
    return inFlight.size();
  }

  @Override
  public void close() {
    closed = true;
    closedLatch.countDown();
    if (watch != null) {
      try {
        watch.close();
      } catch (IOException e) {
        LOG.debug("{}: closing watch service: {}", dir, e.toString());
      }
    }
  }

  private Optional<SourceItem> take(Path file) {
    String name = file.getFileName().toString();
    if (!Files.exists(file)) {
      LOG.warn("{}: {} disappeared before it was read", dir, name);
      return Optional.empty();
    }
    // Label from the file name only: the drop folder's own name says nothing about the class.
    String label = NeuDataset.classOfFileName(name).map(c -> c.folderName()).orElse(null);
    SourceItem item = loader.load(file, name, label);
    if (item instanceof SourceError) {
      moveOut(file, failedDir);
    } else {
      inFlight.put(name, file);
    }
    return Optional.of(item);
  }

  /** Lists the folder, updates what is known of each file, queues files that have settled. */
  private Optional<SourceError> scan() {
    long now = System.nanoTime();
    Set<Path> present = new HashSet<>();
    List<Candidate> settled = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        String name = p.getFileName().toString();
        if (!NeuDataset.isImageFile(p) || inFlight.containsKey(name) || stuck.contains(name)) {
          continue;
        }
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
          continue; // vanished between listing and stat
        }
        if (!a.isRegularFile()) {
          continue;
        }
        present.add(p);
        long modified = a.lastModifiedTime().toMillis();
        Observation o = seen.get(p);
        if (o == null || o.size != a.size() || o.modified != modified) {
          seen.put(p, new Observation(a.size(), modified, now));
        } else if (a.size() > 0 && now - o.sinceNanos >= settleNanos) {
          settled.add(new Candidate(p, modified));
        }
      }
    } catch (IOException | RuntimeException e) {
      if (listingFailed) {
        return Optional.empty();
      }
      listingFailed = true;
      return Optional.of(
          new SourceError(
              dir.toString(),
              RejectReason.SOURCE_UNAVAILABLE,
              "cannot list drop folder " + dir + ": " + e,
              0));
    }
    if (listingFailed) {
      LOG.info("{}: drop folder readable again", dir);
      listingFailed = false;
    }
    seen.keySet().retainAll(present);
    settled.sort(
        Comparator.comparingLong(Candidate::modified)
            .thenComparing(c -> c.file.getFileName().toString()));
    for (Candidate c : settled) {
      seen.remove(c.file);
      ready.add(c.file);
    }
    return Optional.empty();
  }

  private record Candidate(Path file, long modified) {}

  private void waitForChange(long millis) throws InterruptedException {
    if (watch == null) {
      closedLatch.await(millis, TimeUnit.MILLISECONDS);
      return;
    }
    try {
      WatchKey key = watch.poll(millis, TimeUnit.MILLISECONDS);
      while (key != null) {
        key.pollEvents(); // what changed does not matter: the next scan looks at everything
        key.reset();
        key = watch.poll();
      }
    } catch (ClosedWatchServiceException e) {
      // closed concurrently; the loop in next() sees it
    }
  }

  private void moveOut(Path file, Path targetDir) {
    String name = file.getFileName().toString();
    try {
      Path target = freeName(targetDir, name);
      try {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(file, target);
      }
      LOG.debug("{}: {} -> {}", dir, name, dir.relativize(target));
    } catch (IOException e) {
      // Keep it from being yielded again in this run; a restart will retry (at-least-once).
      stuck.add(name);
      LOG.error("{}: cannot move {} to {}/: {}", dir, name, targetDir.getFileName(), e.toString());
    }
  }

  private static Path freeName(Path targetDir, String name) throws IOException {
    Path target = targetDir.resolve(name);
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int n = 1; Files.exists(target); n++) {
      if (n > 100_000) {
        throw new FileAlreadyExistsException(target.toString());
      }
      target = targetDir.resolve(stem + "-" + n + ext);
    }
    return target;
  }

  private static WatchService openWatch(Path dir) {
    WatchService w = null;
    try {
      w = dir.getFileSystem().newWatchService();
      dir.register(w, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      return w;
    } catch (IOException | UnsupportedOperationException e) {
      LOG.info("{}: no watch service ({}), rescanning only", dir, e.toString());
      if (w != null) {
        try {
          w.close();
        } catch (IOException ignored) {
          // nothing registered, nothing to release
        }
      }
      return null;
    }
  }

  @Override
  public String toString() {
    return "DropFolderSource[" + dir + "]";
  }
}
