package io.edgedi.planner.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ids of frames whose classification is published, kept on disk so that a restarted planner
 * acknowledges a redelivered frame instead of classifying it twice. A frame is recorded after the
 * broker acknowledged its classification and before its spool file is removed. Remembers the last
 * {@code capacity} ids. Thread-safe. Null directory: memory only.
 */
public final class ClassifiedFrames implements AutoCloseable {
  private final Path file;
  private final int capacity;
  private final Set<String> ids = new HashSet<>();
  private final Deque<String> order = new ArrayDeque<>();
  private FileChannel out;

  public ClassifiedFrames(Path dir, int capacity) throws IOException {
    this.capacity = capacity;
    this.file = dir == null ? null : dir.resolve("classified-frames.log");
    if (file == null) {
      return;
    }
    Files.createDirectories(dir);
    if (Files.exists(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines) {
        // A crash mid-write leaves a torn last line; it never matches a real frame id.
        remember(line.strip());
      }
      if (lines.size() > 2 * capacity) {
        compact();
      }
    }
    out =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  public synchronized boolean contains(String frameId) {
    return ids.contains(frameId);
  }

  /** Records a classified frame durably (fsync) before returning. */
  public synchronized void record(String frameId) throws IOException {
    if (!remember(frameId) || out == null) {
      return;
    }
    out.write(java.nio.ByteBuffer.wrap((frameId + "\n").getBytes(StandardCharsets.UTF_8)));
    out.force(false);
  }

  private boolean remember(String id) {
    if (id.isEmpty() || !ids.add(id)) {
      return false;
    }
    order.addLast(id);
    while (order.size() > capacity) {
      ids.remove(order.removeFirst());
    }
    return true;
  }

  private void compact() throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, order, StandardCharsets.UTF_8);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
