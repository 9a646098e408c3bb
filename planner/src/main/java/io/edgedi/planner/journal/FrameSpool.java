package io.edgedi.planner.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The planner's durable queue of accepted frames: a frame is written here (and synced) before the
 * broker gets its acknowledgement, and deleted once its classification is out. A restarted planner
 * resumes from what is left. Holding the MQTT acknowledgement until classification instead was
 * tried and dropped: with Paho 1.2.5 and HiveMQ CE one unacknowledged message holds back the whole
 * connection, and after restarts it could stay held (measured here). Thread-safe.
 */
public final class FrameSpool {
  private static final String SUFFIX = ".frame";
  private final Path dir;
  private final AtomicLong sequence = new AtomicLong();

  /** A spooled frame: its file and the payload as received. */
  public record Entry(Path file, byte[] payload) {}

  public FrameSpool(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    for (Entry e : pending()) {
      String name = e.file().getFileName().toString();
      sequence.set(
          Math.max(sequence.get(), Long.parseLong(name.substring(0, name.indexOf('-'))) + 1));
    }
  }

  /** Stores a payload durably; returns its file, to be {@link #remove removed} when done. */
  public Path store(byte[] payload) throws IOException {
    long n = sequence.getAndIncrement();
    Path file = dir.resolve(String.format("%016d-%d%s", n, System.nanoTime(), SUFFIX));
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(payload));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  public void remove(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  /** Frames left from before, oldest first (temporary files of a torn write are dropped). */
  public List<Entry> pending() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(p); // never acknowledged, so the broker still has that frame
        } else if (name.endsWith(SUFFIX)) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    List<Entry> out = new ArrayList<>();
    for (Path p : files) {
      out.add(new Entry(p, Files.readAllBytes(p)));
    }
    return out;
  }
}
