package io.edgedi.camera.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the images below a folder (e.g. a NEU-CLS copy), recursively, in sorted path order,
 * labelled by {@link NeuDataset#classOf}: class subfolder, else class-prefixed file name, else
 * none.
 *
 * <p>A file that cannot be used (unreadable, or the wrong size under {@link SizePolicy#REJECT}) is
 * yielded as a {@link SourceError}. When looping, such a file is reported on the first pass only
 * and skipped afterwards; a loop over a folder without a single usable image ends after one pass
 * instead of spinning. The file list is taken once, when the source is made.
 */
public final class FolderSource implements FrameSource {
  private static final Logger LOG = LoggerFactory.getLogger(FolderSource.class);

  private final Path dir;
  private final boolean loop;
  private final ImageLoader loader;
  private final List<NeuDataset.LabelledFile> files;
  private final Set<String> bad = new HashSet<>();
  private int index;
  private int pass;
  private boolean imageThisPass;
  private volatile boolean closed;

  /** 200x200 images; others resized or rejected per {@code sizePolicy}. */
  public FolderSource(Path dir, boolean loop, SizePolicy sizePolicy) throws IOException {
    this(dir, loop, ImageLoader.neu(sizePolicy));
  }

  /**
   * @throws IOException if {@code dir} is not a readable directory
   */
  public FolderSource(Path dir, boolean loop, ImageLoader loader) throws IOException {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.loop = loop;
    this.loader = Objects.requireNonNull(loader, "loader");
    this.files = NeuDataset.list(dir);
    LOG.info("{}: {} image files{}", dir, files.size(), loop ? ", looping" : "");
  }

  /** The files this source replays, in order. */
  public List<NeuDataset.LabelledFile> files() {
    return files;
  }

  /** Completed passes over the folder (0 during the first). */
  public synchronized int passes() {
    return pass;
  }

  @Override
  public synchronized Optional<SourceItem> next() {
    while (!closed) {
      if (index >= files.size()) {
        if (!loop || !imageThisPass) {
          return Optional.empty();
        }
        index = 0;
        pass++;
        imageThisPass = false;
      }
      NeuDataset.LabelledFile f = files.get(index++);
      if (bad.contains(f.relative())) {
        continue;
      }
      SourceItem item = loader.load(f.file(), f.relative(), f.label());
      if (item instanceof SourceError) {
        bad.add(f.relative());
      } else {
        imageThisPass = true;
      }
      return Optional.of(item);
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "FolderSource[" + dir + "]";
  }
}
