package io.edgedi.training.window;

import io.edgedi.camera.synthetic.Box;
import io.edgedi.camera.synthetic.LineScanFrame;
import io.edgedi.camera.synthetic.LineScanGenerator;
import io.edgedi.camera.synthetic.WindowLabel;
import io.edgedi.inference.partition.ClassifierHead;
import io.edgedi.inference.partition.MonolithicInference;
import io.edgedi.inference.runtime.FeatureMap;
import io.edgedi.inference.weights.FoldedWeights;
import io.edgedi.inference.window.Window;
import io.edgedi.inference.window.WindowGrid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Windows of generated line-scan strips with their labels ({@link WindowLabel}) and the trunk
 * features a window head classifies (per-channel means of the trunk output, computed by the
 * deployed inference path). Ambiguous windows are left out. Output depends only on the arguments.
 */
public final class WindowSamples {
  /** One labelled window: which strip (its seed), where, what it shows, and its trunk means. */
  public record Sample(long frameSeed, Window window, WindowLabel label, double[] means) {}

  private final FoldedWeights weights;
  private final LineScanGenerator generator;
  private final int rows;

  public WindowSamples(FoldedWeights weights, int frameWidth, int rows) {
    this.weights = weights;
    this.generator = new LineScanGenerator(frameWidth);
    this.rows = rows;
  }

  /**
   * {@code perFrame} windows at random places in each strip of seeds {@code firstSeed .. firstSeed
   * + frames - 1}; of the windows without a defect only {@code keepNone} are kept (plain steel is
   * most of a strip).
   */
  public List<Sample> random(
      long firstSeed, int frames, int perFrame, double keepNone, long seed, IntConsumer progress) {
    Random rng = new Random(seed);
    int w = weights.model().inputWidth();
    int h = weights.model().inputHeight();
    List<Sample> out = new ArrayList<>();
    try (Features features = new Features(weights)) {
      for (int f = 0; f < frames; f++) {
        LineScanFrame frame = generator.generate(firstSeed + f, rows);
        for (int i = 0; i < perFrame; i++) {
          Window win =
              new Window(
                  i, rng.nextInt(generator.width() - w + 1), rng.nextInt(rows - h + 1), w, h);
          WindowLabel label = WindowLabel.of(frame, new Box(win.x(), win.y(), w, h));
          if (label.equals(WindowLabel.AMBIGUOUS)
              || (label.none() && rng.nextDouble() >= keepNone)) {
            continue;
          }
          out.add(new Sample(firstSeed + f, win, label, features.means(frame, win)));
        }
        progress.accept(f + 1);
      }
    }
    return out;
  }

  /** Every window the planner would cut from each strip (ambiguous ones left out). */
  public List<Sample> grid(long firstSeed, int frames, WindowGrid grid, IntConsumer progress) {
    List<Sample> out = new ArrayList<>();
    try (Features features = new Features(weights)) {
      for (int f = 0; f < frames; f++) {
        LineScanFrame frame = generator.generate(firstSeed + f, rows);
        for (Window win : grid.windows(generator.width(), rows)) {
          WindowLabel label =
              WindowLabel.of(frame, new Box(win.x(), win.y(), win.width(), win.height()));
          if (!label.equals(WindowLabel.AMBIGUOUS)) {
            out.add(new Sample(firstSeed + f, win, label, features.means(frame, win)));
          }
        }
        progress.accept(f + 1);
      }
    }
    return out;
  }

  /** The monolithic run of one window: the trunk output's per-channel means. */
  private static final class Features implements AutoCloseable {
    private final FoldedWeights weights;
    private final MonolithicInference inference;

    Features(FoldedWeights weights) {
      this.weights = weights;
      this.inference = new MonolithicInference(weights);
    }

    double[] means(LineScanFrame frame, Window win) {
      byte[] crop = win.crop(frame.image().pixels(), frame.image().width(), 1);
      FeatureMap trunk =
          inference.runGray(win.height(), win.width(), ByteBuffer.wrap(crop)).trunk();
      return ClassifierHead.means(weights.model(), ClassifierHead.sums(trunk));
    }

    @Override
    public void close() {
      inference.close();
    }
  }
}
