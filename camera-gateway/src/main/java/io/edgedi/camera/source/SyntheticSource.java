package io.edgedi.camera.source;

import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Labelled synthetic images: a deterministic function of the seed, so two runs with the same seed
 * publish byte-identical frames with the same labels.
 *
 * <p>Classes come in rounds of six, each round a seeded shuffle of all six classes, so any window
 * of frames is close to balanced without the order being a fixed cycle. Each image has its own seed
 * drawn from the same stream; the origin {@code synthetic:<class>:<seed>} is enough to regenerate
 * it with {@link SyntheticDefectGenerator#generate(DefectClass, long, int, int)}.
 */
public final class SyntheticSource implements FrameSource {
  /** Count meaning "never ends". */
  public static final long UNBOUNDED = -1;

  private final SyntheticDefectGenerator generator = new SyntheticDefectGenerator();
  private final SplittableRandom random;
  private final long count;
  private final int width;
  private final int height;
  private final DefectClass[] round = DefectClass.values().clone();
  private long produced;
  private volatile boolean closed;

  /** {@code count} NEU-size (200x200) images, or {@link #UNBOUNDED}. */
  public SyntheticSource(long seed, long count) {
    this(seed, count, ImageLoader.NEU_SIZE, ImageLoader.NEU_SIZE);
  }

  public SyntheticSource(long seed, long count, int width, int height) {
    if (count < 0 && count != UNBOUNDED) {
      throw new IllegalArgumentException("count must be >= 0 or UNBOUNDED, was " + count);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
    this.random = new SplittableRandom(seed);
    this.count = count;
    this.width = width;
    this.height = height;
  }

  /** An endless stream of NEU-size images. */
  public static SyntheticSource unbounded(long seed) {
    return new SyntheticSource(seed, UNBOUNDED);
  }

  @Override
  public synchronized Optional<SourceItem> next() {
    if (closed || (count != UNBOUNDED && produced >= count)) {
      return Optional.empty();
    }
    int slot = (int) (produced % round.length);
    if (slot == 0) {
      shuffleRound();
    }
    DefectClass kind = round[slot];
    long imageSeed = random.nextLong();
    produced++;
    return Optional.of(
        new SourceImage(
            generator.generate(kind, imageSeed, width, height),
            kind.folderName(),
            "synthetic:" + kind.folderName() + ":" + imageSeed));
  }

  /** Images yielded so far. */
  public synchronized long produced() {
    return produced;
  }

  @Override
  public void close() {
    closed = true;
  }

  /** Fisher-Yates over the class order, from the source's own stream. */
  private void shuffleRound() {
    for (int i = round.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      DefectClass t = round[i];
      round[i] = round[j];
      round[j] = t;
    }
  }
}
