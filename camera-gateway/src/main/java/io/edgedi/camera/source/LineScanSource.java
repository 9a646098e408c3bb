package io.edgedi.camera.source;

import io.edgedi.camera.synthetic.LineScanFrame;
import io.edgedi.camera.synthetic.LineScanGenerator;
import java.util.Optional;

/**
 * Generated line-scan strips, wider (and taller) than the model input, with defects at known
 * places: strip {@code i} (from 0) is {@link LineScanGenerator#generate(long, int)} of seed {@code
 * firstSeed + i}, so {@link #strip} regenerates any of them with its labels. Unlabelled as frames
 * (a strip has no one class); its windows are, see {@link io.edgedi.camera.synthetic.WindowLabel}.
 */
public final class LineScanSource implements FrameSource {
  public static final int DEFAULT_ROWS = 600;

  private final LineScanGenerator generator;
  private final long firstSeed;
  private final long count;
  private final int rows;
  private long produced;
  private volatile boolean closed;

  public LineScanSource(long firstSeed, long count, int width, int rows) {
    if (count < 0 && count != SyntheticSource.UNBOUNDED) {
      throw new IllegalArgumentException("count must be >= 0 or UNBOUNDED, was " + count);
    }
    this.generator = new LineScanGenerator(width);
    this.firstSeed = firstSeed;
    this.count = count;
    this.rows = rows;
  }

  @Override
  public synchronized Optional<SourceItem> next() {
    if (closed || (count != SyntheticSource.UNBOUNDED && produced >= count)) {
      return Optional.empty();
    }
    long seed = firstSeed + produced++;
    return Optional.of(
        new SourceImage(generator.generate(seed, rows).image(), null, "linescan:" + seed));
  }

  /**
   * Strip {@code index} (its frame's sequence number when nothing was rejected) with its defect
   * boxes.
   */
  public LineScanFrame strip(long index) {
    return generator.generate(firstSeed + index, rows);
  }

  public int width() {
    return generator.width();
  }

  public int rows() {
    return rows;
  }

  @Override
  public void close() {
    closed = true;
  }
}
